"""What every handler and job needs, built once by `build_application` and reached through the
context (`context.services`), never through module globals."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from telegram.ext import Application, CallbackContext, ExtBot

from bot.clock import Clock
from bot.config import Config
from storage.db import Database

if TYPE_CHECKING:
    from bot.geo import Jurisdiction


@dataclass
class Services:
    config: Config
    db: Database
    clock: Clock
    jurisdiction: "Jurisdiction"
    tz: ZoneInfo
    # The officers' group; replaced at run time when Telegram migrates it to a supergroup.
    group_chat_id: int
    # Background pieces started in post_init (the outbox dispatcher), by name.
    background: dict[str, Any] = field(default_factory=dict)

    def now(self):
        return self.clock()

    def is_supervisor(self, user_id: int) -> bool:
        return user_id in self.config.officers.supervisor_ids

    def is_officer(self, user_id: int) -> bool:
        """Officer ids listed in config, or anyone (in the group) when the list is empty."""
        ids = self.config.officers.officer_ids
        return not ids or user_id in ids or self.is_supervisor(user_id)


class SipoaContext(CallbackContext[ExtBot, dict, dict, dict]):
    @property
    def services(self) -> Services:
        return self.application.bot_data["services"]


def services_of(application: Application) -> Services:
    return application.bot_data["services"]
