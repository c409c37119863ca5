"""`sipoa` (and `python -m bot`): run | check-config | migrate | health | demo | screening evaluate.

An operator who mistyped something gets sentences they can act on and exit code 2, never a
traceback. `check-config` and `run` share the same checks, so a config that passes the first starts.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from bot.config import Config, ConfigError, load_config

if TYPE_CHECKING:
    from storage.migrate import MigrationResult

log = logging.getLogger("sipoa")

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_CONFIG = 2
DEFAULT_CONFIG = "config.toml"


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return EXIT_CONFIG
    return args.handler(args)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sipoa", description="Sipoa: residents report foreign nationals' suspicious activity to immigration."
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    run = sub.add_parser("run", help="run the bot (long polling, or --webhook) with a config file")
    run.add_argument("--config", type=Path, default=Path(DEFAULT_CONFIG), help="path to config.toml")
    run.add_argument("--webhook", action="store_true",
                     help="serve Telegram's webhook as configured in [webhook] instead of long polling "
                          "(several replicas may share one PostgreSQL database)")
    run.set_defaults(handler=_cmd_run)
    check = sub.add_parser("check-config", help="validate a config file and open its database, then exit")
    check.add_argument("--config", type=Path, default=Path(DEFAULT_CONFIG), help="path to config.toml")
    check.set_defaults(handler=_cmd_check)
    migrate = sub.add_parser(
        "migrate", help="upgrade the database's schema (before starting new replicas; `run` also does it)"
    )
    migrate.add_argument("--config", type=Path, default=Path(DEFAULT_CONFIG), help="path to config.toml")
    migrate.add_argument("--to", default="head", metavar="REVISION",
                         help="the revision to reach (default: head; an older one downgrades)")
    migrate.set_defaults(handler=_cmd_migrate)
    health = sub.add_parser(
        "health", help="exit 0 if the bot is delivering (dispatcher alive, outbox not stuck), else 1"
    )
    health.add_argument("--config", type=Path, default=Path(DEFAULT_CONFIG), help="path to config.toml")
    health.set_defaults(handler=_cmd_health)
    demo = sub.add_parser("demo", help="play a scripted session against a built-in fake Telegram and print it")
    demo.set_defaults(handler=_cmd_demo)
    screening = sub.add_parser("screening", help="screening tools (evaluate labelled cases)")
    screening_sub = screening.add_subparsers(dest="screening_command", metavar="TOOL", required=True)
    evaluate = screening_sub.add_parser(
        "evaluate", help="replay labelled report events through the screening and print its metrics"
    )
    _screening_evaluate().add_arguments(evaluate)
    evaluate.set_defaults(handler=_cmd_screening_evaluate)
    return parser


def _screening_evaluate():
    from bot.screening import evaluate

    return evaluate


# --- checks shared by run and check-config -------------------------------------------------------


def load_checked(path: Path) -> tuple[Config | None, list[str]]:
    """The config, or the problems that stop it from being used (each one a sentence)."""
    try:
        config = load_config(path)
    except ConfigError as err:
        return None, err.problems
    problems = [p for p in (_check_jurisdiction(config), _check_database(config)) if p]
    return (None if problems else config), problems


def _check_jurisdiction(config: Config) -> str | None:
    from bot.geo import Jurisdiction, JurisdictionError

    # Each office's area ([[offices]]), or the one of [office].
    entries = [(f"offices.{i}.jurisdiction", e.jurisdiction) for i, e in enumerate(config.offices)]
    for key, value in entries or [("office.jurisdiction", config.office.jurisdiction)]:
        path = config.jurisdiction_path(value)
        try:
            Jurisdiction.from_geojson(path) if path else Jurisdiction.default()
        except JurisdictionError as err:
            return f"{key}: {err}"
    return None


def _check_database(config: Config) -> str | None:
    """Open the database and run SELECT 1 (creating an SQLite file and its folder if needed)."""
    try:
        asyncio.run(_select_one(config.storage.resolved_url()))
    except Exception as err:  # noqa: BLE001 — any failure here is the operator's to fix, said plainly
        where = config.storage.sqlite_path()
        hint = (
            f"Check that the folder {where.parent} can be created and written by this user, and that "
            f"{where} is not a folder or another program's file."
            if where is not None
            else "Check the host, port, user, password and database name, and that the server is running."
        )
        return f"storage.url: the database {_redact(config.storage.url)} cannot be opened ({_reason(err)}). {hint}"
    return None


async def _select_one(url: str) -> None:
    from sqlalchemy import text

    from storage.db import Database

    db = Database(url)
    try:
        async with db.read() as session:
            await session.exec(text("SELECT 1"))
    finally:
        await db.dispose()


def _reason(err: BaseException) -> str:
    orig = getattr(err, "orig", None) or err
    text = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
    return f"{type(orig).__name__}: {text}" if type(orig).__name__ not in text else text


def _redact(url: str) -> str:
    """A database URL without its password."""
    if "://" in url and "@" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        user = creds.split(":", 1)[0]
        return f"{scheme}://{user}:***@{host}" if ":" in creds else url
    return url


def _print_problems(path: Path, problems: list[str], out: TextIO) -> None:
    print(f"{path}: {len(problems)} problem(s) — nothing was started.", file=out)
    for problem in problems:
        print(f"  - {problem}", file=out)


# --- commands --------------------------------------------------------------------------------------


def _cmd_check(args: argparse.Namespace) -> int:
    config, problems = load_checked(args.config)
    if config is None:
        _print_problems(args.config, problems, sys.stderr)
        return EXIT_CONFIG
    print(f"OK: {args.config}: {summary(config)}")
    print(f"schema: {asyncio.run(_schema_status(config.storage.resolved_url()))}")
    return EXIT_OK


async def _schema_status(url: str) -> str:
    from storage.db import Database
    from storage.migrate import status

    db = Database(url)
    try:
        found = await status(db)
    except Exception as err:  # noqa: BLE001 — the database opened; its schema is only reported
        return f"unknown ({_reason(err)})"
    finally:
        await db.dispose()
    if found.up_to_date:
        return f"at revision {found.head} (current)"
    if found.unversioned_tables:
        start = "tables from before migrations (taken as 0001)"
    else:
        start = f"revision {found.current}" if found.current else "empty"
    return f"{start}; `sipoa migrate` (or the bot at start) upgrades it to {found.head}"


def _cmd_migrate(args: argparse.Namespace) -> int:
    """Upgrade the schema once, before starting replicas of a new version (each would otherwise
    migrate at start, one at a time under a lock: same result, slower first start)."""
    config, problems = load_checked(args.config)
    if config is None:
        _print_problems(args.config, problems, sys.stderr)
        return EXIT_CONFIG
    if args.to == "base":
        print("--to base would drop every table and its data: not from this command.", file=sys.stderr)
        return EXIT_CONFIG
    from storage.migrate import SchemaError

    try:
        result = asyncio.run(_migrate(config.storage.resolved_url(), args.to))
    except SchemaError as err:
        print(f"storage.url: {err}.", file=sys.stderr)
        return EXIT_FAILED
    except Exception as err:  # noqa: BLE001 — said plainly; the upgrade is one transaction
        print(f"The migration failed ({_reason(err)}); the schema was left as it was.", file=sys.stderr)
        return EXIT_FAILED
    before = "empty" if result.before is None else result.before
    if result.stamped_baseline:
        before = f"{result.before} (tables from before migrations)"
    after = "empty" if result.after is None else result.after
    if not result.changed:
        print(f"Schema already at {after}: nothing to do.")
    else:
        print(f"Schema migrated: {before} -> {after}.")
    return EXIT_OK


async def _migrate(url: str, target: str) -> MigrationResult:
    from storage.db import Database

    db = Database(url)
    try:
        return await db.migrate(target)
    finally:
        await db.dispose()


def summary(config: Config) -> str:
    officers = config.officers
    who = (f"{len(officers.officer_ids)} listed officer(s)" if officers.officer_ids
           else "every group member is an officer")
    where = config.storage.sqlite_path()
    database = f"SQLite {where}" if where is not None else _redact(config.storage.url)
    area = config.jurisdiction_path() or "the packaged Tangerang area"
    if config.offices:  # several offices: each with its group, and the national supervisors
        offices = ", ".join(f"{e.report_prefix} (group {e.group_chat_id}, {len(e.supervisor_ids)} supervisor(s))"
                            for e in config.offices)
        return (
            f"{len(config.offices)} offices: {offices}; {len(officers.supervisor_ids)} national supervisor(s); "
            f"database {database} opens; {len(config.intake.categories)} categories; "
            f"Bot API {config.telegram.base_url}"
        )
    return (
        f"group {officers.group_chat_id}, {len(officers.supervisor_ids)} supervisor(s), {who}; "
        f"database {database} opens; jurisdiction {area}; {len(config.intake.categories)} categories; "
        f"Bot API {config.telegram.base_url}"
    )


class OneLineFormatter(logging.Formatter):
    """One event, one line: a traceback is folded onto its event's line (` ⏎ ` between its lines),
    so `grep event=` and log shippers never split an error from the event that raised it."""

    def format(self, record: logging.LogRecord) -> str:
        return super().format(record).replace("\r", "").replace("\n", " ⏎ ")


class _QuietBootstrap(logging.Filter):
    """PTB logs a failed start-up (unreachable Bot API) with three chained tracebacks; `run` explains
    that failure in one paragraph itself, so the log keeps PTB's one-line message only."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith("telegram") and "Bootstrap" in record.getMessage():
            record.exc_info = None
            record.exc_text = None
        return True


def setup_logging(level: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(OneLineFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(_QuietBootstrap())
    logging.basicConfig(level=getattr(logging, level, logging.INFO), handlers=[handler], force=True)
    # httpx logs every request at INFO, URL included: that is a getUpdates line every few seconds,
    # and the URL carries the bot token. Alembic's per-revision lines are summed up by our own
    # event=schema_migrated line (storage/migrate.py).
    for noisy in ("httpx", "httpcore", "apscheduler", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def _cmd_run(args: argparse.Namespace) -> int:
    config, problems = load_checked(args.config)
    if config is not None and args.webhook:
        from bot import webhook

        problems = webhook.problems(config)
        config = None if problems else config
    if config is None:
        _print_problems(args.config, problems, sys.stderr)
        return EXIT_CONFIG
    setup_logging(config.logging.level)

    from telegram import Update
    from telegram.error import InvalidToken, TelegramError

    from bot.app import build_application

    app = build_application(config)
    log.info("event=starting config=%s group=%s api=%s mode=%s",
             args.config, ",".join(str(e.group_chat_id) for e in config.offices) or config.officers.group_chat_id,
             config.telegram.base_url,
             "webhook" if args.webhook else "polling")
    try:
        if args.webhook:
            webhook.prepare(app, config)
            webhook.run(app, config)
        else:
            app.run_polling(
                allowed_updates=Update.ALL_TYPES,
                stop_signals=(signal.SIGINT, signal.SIGTERM),
                timeout=config.telegram.poll_timeout_seconds,
            )
    except InvalidToken:
        print(
            "telegram.token: Telegram refused the token. Copy it again from @BotFather (/mybots → API Token) "
            "into the config or $SIPOA_TELEGRAM_TOKEN.",
            file=sys.stderr,
        )
        return EXIT_CONFIG
    except TelegramError as err:
        print(
            f"Could not start talking to the Bot API at {config.telegram.base_url} ({err}). Check the network "
            "and telegram.base_url, then start again.",
            file=sys.stderr,
        )
        return EXIT_FAILED
    except Exception:
        # Start-up code failing (e.g. the schema cannot be created): one log line with the cause.
        log.exception("event=crashed: the bot stopped")
        return EXIT_FAILED
    log.info("event=stopped")
    return EXIT_OK


def _cmd_health(args: argparse.Namespace) -> int:
    """For probes and cron: one line on stdout, exit 0 healthy / 1 not / 2 unusable config."""
    try:
        config = load_config(args.config)
    except ConfigError as err:
        _print_problems(args.config, err.problems, sys.stderr)
        return EXIT_CONFIG
    from bot.health import run

    code, line = run(config)
    print(line)
    return code


def _cmd_screening_evaluate(args: argparse.Namespace) -> int:
    # The streams are passed at call time: sys.stdout may have been replaced since import.
    return _screening_evaluate().run(args, stdout=sys.stdout, stderr=sys.stderr)


def _cmd_demo(args: argparse.Namespace) -> int:
    from bot.demo import run_demo

    return run_demo()
