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
    from bot.offices import Offices


@dataclass
class Services:
    config: Config
    db: Database
    clock: Clock
    jurisdiction: "Jurisdiction"
    tz: ZoneInfo
    # The (first) office's group; replaced at run time when Telegram migrates it to a supergroup.
    # With several offices, each office's group is `offices.group_id(key)` (bot/offices.py).
    group_chat_id: int
    # Background pieces started in post_init (the outbox dispatcher), by name.
    background: dict[str, Any] = field(default_factory=dict)
    # The offices served (one for a single-office config); built from the config when not given.
    offices: "Offices" = None  # type: ignore[assignment]

    def __post_init__(self) -> None:
        if self.offices is None:
            from bot.offices import Offices

            # One office: the jurisdiction given is its area (no second read of the file).
            load = None if self.config.offices else (lambda _path: self.jurisdiction)
            self.offices = Offices.from_config(self.config, load=load)

    def now(self):
        return self.clock()

    def is_supervisor(self, user_id: int) -> bool:
        """A supervisor of any office, or a national one (`offices.supervised_offices` says which)."""
        return self.offices.is_supervisor(user_id)

    def is_officer(self, user_id: int) -> bool:
        """An officer of some office: listed in config, or anyone (in the group) when its list is empty.
        In a group, ask `offices.is_officer(office.key, user_id)` for that group's office."""
        return any(self.offices.is_officer(o.key, user_id) for o in self.offices)

    def group_of(self, office_key: str | None) -> int:
        """The group an office's messages go to now (None or unknown: the first office's)."""
        return self.offices.group_id(office_key)

    def tz_of(self, office_key: str | None) -> ZoneInfo:
        """The clock people of office `office_key` read (a report's: `tz_of(report.prefix)`); a single
        office keeps `tz`, the national clock ([office].timezone)."""
        return self.tz if self.offices.single else self.offices.tz_of(office_key)

    def adopt_group(self, office_key: str, chat_id: int) -> None:
        """An office's group got a new id (migration): send there from now on."""
        self.offices.set_group(office_key, chat_id)
        if office_key == self.offices.primary.key:
            self.group_chat_id = chat_id


class SipoaContext(CallbackContext[ExtBot, dict, dict, dict]):
    @property
    def services(self) -> Services:
        return self.application.bot_data["services"]


def services_of(application: Application) -> Services:
    return application.bot_data["services"]
