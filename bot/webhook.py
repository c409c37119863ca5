"""`sipoa run --webhook`: Telegram pushes each update to this replica's HTTP server.

PTB's own webhook server (tornado, the `webhooks` extra) checks X-Telegram-Bot-Api-Secret-Token
and answers 403 to a request without the configured secret, before any handler sees it.

Replicas: several processes on one PostgreSQL database behind one load balancer. What must hold
across them lives in the database, not in a process:
- a resident's conversation is the Draft row, and each update locks the resident's Reporter row
  for its transaction (storage/reporters.py), so two replicas never interleave one resident;
- the outbox is claimed row by row (FOR UPDATE SKIP LOCKED + a lease, storage/outbox.py);
- each group's 20-a-minute window is counted in the database (storage/group_sends.py), switched on
  here for PostgreSQL (`shared_group_limit`);
- the timers run on every replica, each period's run on one (storage/leases.py, bot/jobs.py).
"""

from __future__ import annotations

import logging
import signal

from telegram import Update
from telegram.ext import Application

from bot.config import WEBHOOK_SECRET_ENV, Config
from bot.services import services_of

log = logging.getLogger("sipoa.webhook")


def problems(config: Config) -> list[str]:
    """What stops `run --webhook` with this config, as sentences."""
    if not config.webhook.secret_token:
        return [
            f"webhook.secret_token: required with --webhook (or ${WEBHOOK_SECRET_ENV}): 1-256 characters "
            "A-Z, a-z, 0-9, _ and -; Telegram sends it with every update and other requests get 403"
        ]
    return []


def prepare(app: Application, config: Config) -> None:
    """Webhook-mode settings of the built application, before it starts."""
    services = services_of(app)
    # Replicas exist only on PostgreSQL (one process owns a SQLite file).
    services.background["shared_group_limit"] = not services.db.is_sqlite
    if not config.webhook.set_webhook:
        _skip_set_webhook(app)


def run(app: Application, config: Config) -> None:
    """Serve the webhook until SIGINT/SIGTERM (blocking, like run_polling)."""
    hook = config.webhook
    log.info("event=webhook_listening listen=%s port=%s path=%s set_webhook=%s",
             hook.listen, hook.port, hook.url_path, hook.set_webhook)
    app.run_webhook(
        listen=hook.listen,
        port=hook.port,
        url_path=hook.url_path,
        webhook_url=hook.public_url or None,
        secret_token=hook.secret_token,
        max_connections=hook.max_connections,
        allowed_updates=Update.ALL_TYPES,
        stop_signals=(signal.SIGINT, signal.SIGTERM),
    )


def _skip_set_webhook(app: Application) -> None:
    """PTB's webhook start-up always calls setWebhook and has no switch for it; replicas behind the
    same URL leave that to one of them. The one seam is the updater's bootstrap step (PTB 22,
    pinned <23; tests/e2e/test_replicas.py counts the setWebhook calls, so a change shows)."""

    async def no_bootstrap(*_args: object, **_kwargs: object) -> None:
        log.info("event=webhook_not_set: webhook.set_webhook = false, another replica sets it")

    app.updater._bootstrap = no_bootstrap  # type: ignore[method-assign,union-attr]
