"""``python -m bot.fakeapi --port 8081``: serve a fake Bot API until Ctrl-C."""

from __future__ import annotations

import argparse
import asyncio
import contextlib

from .core import FakeBotAPI
from .server import FakeBotServer


async def _serve(args: argparse.Namespace) -> None:
    fake = FakeBotAPI(token=args.token)
    fake.add_group(args.group, args.group_title)
    server = FakeBotServer(fake, host="127.0.0.1", port=args.port)
    await server.start()
    print(f"fake Bot API: token={fake.token}", flush=True)
    print(f"base_url={server.base_url}", flush=True)
    print(f"base_file_url={server.base_file_url}", flush=True)
    print(f"demo group: {args.group} ({args.group_title}); Ctrl-C to stop", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await server.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bot.fakeapi", description=__doc__)
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--group", type=int, default=-1001234567890)
    parser.add_argument("--group-title", default="Sipoa Demo")
    parser.add_argument("--token", default="123456:TEST-TOKEN-not-real")
    args = parser.parse_args(argv)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(args))


if __name__ == "__main__":
    main()
