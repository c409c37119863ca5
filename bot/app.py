"""`build_application(config)`: the one place that wires the bot, in order.

The CLI, the demo and every test use this factory. Nothing here runs at import time.
"""

from __future__ import annotations

import logging
from zoneinfo import ZoneInfo

from telegram.constants import ParseMode
from telegram.ext import Application, ApplicationBuilder, ContextTypes, Defaults
from telegram.request import BaseRequest

from bot.clock import Clock, utcnow
from bot.config import Config
from bot.services import Services, SipoaContext, services_of
from bot.updates import PerChatUpdateProcessor
from handlers.errors import on_error
from storage.db import Database

log = logging.getLogger(__name__)


def build_application(
    config: Config,
    *,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    clock: Clock | None = None,
    run_background: bool = True,
) -> Application:
    """Build the bot. `request` swaps the HTTP layer (tests use the in-process fake Bot API);
    `run_background=False` leaves the outbox dispatcher to be driven by hand (tests)."""
    from bot.offices import Offices

    tz = ZoneInfo(config.office.timezone)
    # Every office's area read once; one office (single-office config) is exactly the old setup.
    offices = Offices.from_config(config)
    jurisdiction = offices.territory()

    builder = (
        ApplicationBuilder()
        .token(config.telegram.token)
        .base_url(config.telegram.base_url)
        .base_file_url(config.telegram.base_file_url)
        .context_types(ContextTypes(context=SipoaContext))
        .defaults(Defaults(parse_mode=ParseMode.HTML, tzinfo=tz))
        # Chats run concurrently, each chat's updates in order (see bot/updates.py).
        .concurrent_updates(PerChatUpdateProcessor(64))
        .post_init(_post_init)
        .post_stop(_post_stop)
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(get_updates_request or request)
    app = builder.build()

    services = Services(
        config=config,
        db=Database(config.storage.resolved_url()),
        clock=clock or utcnow,
        jurisdiction=jurisdiction,
        tz=tz,
        group_chat_id=offices.primary.group_chat_id,
        offices=offices,
    )
    services.background["run"] = run_background
    app.bot_data["services"] = services

    # --- handlers: gate ---
    # Before every audience: updates from other bots, and commands in the officers' group from
    # non-officers, are ignored (and logged) here, once, instead of in each handler.
    from handlers import gate

    gate.register(app)

    # --- handlers: residents (private chats) ---
    # The resident's draft conversation: commands and buttons first, the step catch-all in group 0,
    # and the unknown-command fallback in group 1 so that it never shadows another audience's command.
    from handlers import residents

    residents.register(app)

    # --- handlers: officers (the group) ---
    # Officers' buttons, the bot's own membership and the group's migration, in handler group -5:
    # before the residents' catch-all (group 0), so a press in the group never reaches it.
    from handlers import officers

    officers.register(app)

    # --- handlers: supervisors (private chats) ---
    # /stats runs in handler group -10, before the residents' catch-all (group 0), and stops there.
    from handlers import supervisors

    supervisors.register(app)

    # --- handlers: screening (private chats) ---
    # /review, /restrict, /unrestrict and the review buttons in group -10 with the supervisors';
    # the phone-verification contact and its "no thanks" there too, before the residents'
    # catch-all would take them as an answer to a draft's step.
    from handlers import phone, restrict, review

    review.register(app)
    restrict.register(app)
    phone.register(app)

    # --- handlers: office (duty, export, stats of a period) ---
    # /duty for officers in group -5 with the officers' handlers (in the group or a private chat);
    # /export for supervisors in group -10 with /stats, and "/stats <period>" in group -11, just
    # before the overview: all before the residents' catch-all.
    from handlers import duty, export, stats_period

    duty.register(app)
    export.register(app)
    stats_period.register(app)

    # --- handlers: walk-ins and follow-up ---
    # /walkin, Ask/Answer/Add info and the private message that is a question or an answer, in
    # handler group -6: before the officers' catch-all for group buttons (-5, which refuses actions
    # it does not know) and the residents' catch-all (0, which would take an answer as a draft's
    # step). /walkin first: inside a group the first matching handler wins, and the follow-up's
    # "any other command" handler would otherwise see it.
    from handlers import followup, walkin

    walkin.register(app)
    followup.register(app)

    # --- jobs ---
    # Idle drafts expire from the database's clock, so a restart does not lose a pending expiry.
    from bot.jobs import sweep_drafts

    if app.job_queue:
        interval = config.dispatcher.sweep_interval_seconds
        app.job_queue.run_repeating(sweep_drafts, interval=interval, first=interval, name="sweep_drafts")

    # SLA deadlines live in the report rows and this sweep acts on whatever is due, so reminders
    # and escalations survive a restart. The digest runs daily at the configured hour of office
    # time (PTB counts days 0-6 from Sunday; a run up to an hour late still fires); a start-up
    # catch-up covers a process that was down at that hour. Retention is a slow, idempotent sweep.
    from datetime import time as clock_time

    from bot.digest import zones as digest_zones
    from bot.jobs import PURGE_INTERVAL_SECONDS, purge_old_data, send_daily_digest, sweep_sla

    if app.job_queue:
        interval = config.dispatcher.sweep_interval_seconds
        app.job_queue.run_repeating(sweep_sla, interval=interval, first=interval, name="sweep_sla")
        # One daily job per clock: a WITA office's digest goes at its own local hour ("daily_digest"
        # is the national clock's, the only one of a bot on one clock).
        for zone in digest_zones(services):
            national = zone.key == tz.key
            app.job_queue.run_daily(
                send_daily_digest, time=clock_time(config.sla.digest_hour, 0, tzinfo=zone),
                days=(0, 1, 2, 3, 4, 5, 6), data=None if national else zone.key,
                name="daily_digest" if national else f"daily_digest:{zone.key}",
                job_kwargs={"misfire_grace_time": 3600},
            )
        app.job_queue.run_repeating(purge_old_data, interval=PURGE_INTERVAL_SECONDS, first=300, name="purge_old_data")

    # One error handler for everything: it logs first and never shows a traceback to a person.
    app.add_error_handler(on_error)
    return app


async def start_services(app: Application) -> None:
    """Schema, durable settings and the background dispatcher. Run by post_init; tests call it
    directly because `Application.initialize()` alone does not run post_init."""
    services = services_of(app)
    # The schema through the migrations (storage/migrate.py): a no-op costing one SELECT at head;
    # PostgreSQL replicas starting together migrate once, under an advisory lock.
    await services.db.migrate()
    # One structured log line per committed report transition (storage/transitions.py).
    from storage import transitions

    transitions.install()
    # --- startup ---
    # The group id Telegram gave the officers' group when it became a supergroup outlives a restart;
    # then the outbox dispatcher (its loop only when running for real: tests drive it with drain()).
    from bot.dispatcher import Dispatcher
    from storage import settings as settings_repo

    async with services.db.read() as session:
        for office in services.offices:  # each office's group, as Telegram last renamed it
            services.adopt_group(office.key, await settings_repo.effective_group_chat_id(
                session, configured=office.group_chat_id, office=services.offices.settings_suffix(office.key)))
    if services.db.is_sqlite:
        # One process owns a SQLite file, so claims left in it are a killed predecessor's: free them
        # now rather than holding the group's queue for a lease period. (PostgreSQL replicas share
        # the outbox and wait the lease out.)
        from storage import outbox as outbox_repo

        async with services.db.transaction() as session:
            freed = await outbox_repo.release_all_leases(session)
        if freed:
            log.info("event=outbox_leases_freed count=%d", freed)
    dispatcher = Dispatcher(app.bot, services)
    services.background["dispatcher"] = dispatcher
    if services.background.get("run"):
        dispatcher.start()
    # Today's digest when its hour passed while the process was down (APScheduler cannot keep PTB
    # jobs across a restart), and matplotlib loaded in a worker thread so that the first /stats
    # chart does not wait for it; only when running for real: tests call both directly.
    if services.background.get("run"):
        import asyncio
        import gc

        from bot.charts import warm_up
        from bot.digest import catch_up, zones

        services.background["chart_warm_up"] = asyncio.create_task(asyncio.to_thread(warm_up))
        # Once the imports are in, they are set aside from the garbage collector: its full passes
        # over ~200,000 start-up objects (matplotlib, numpy, SQLAlchemy, PTB) stalled the loop for
        # 50-80 ms at random moments (an update or alert caught in one waited that long).
        services.background["chart_warm_up"].add_done_callback(lambda _task: gc.freeze())
        for zone in zones(services):  # each clock's digest (one, on one clock)
            try:
                await catch_up(services, zone)
            except Exception:
                log.exception("event=digest_catch_up_failed zone=%s", zone.key)


async def stop_services(app: Application) -> None:
    """Stop the background pieces (they finish the send under way) and close the database."""
    services = services_of(app)
    # --- stop ---
    # The dispatcher finishes the send under way and hands its other claimed rows back.
    dispatcher = services.background.get("dispatcher")
    if dispatcher is not None:
        await dispatcher.stop()
    await services.db.dispose()


async def _post_init(app: Application) -> None:
    await start_services(app)


async def _post_stop(app: Application) -> None:
    await stop_services(app)
