"""The ``raati`` command: serve, migrate, seed-demo, createuser, themes."""

from __future__ import annotations

import argparse
import getpass
import logging
import sys
from collections.abc import Sequence

from deliberation.permissions import ROLES
from server.settings import Settings


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.from_env(
        database_url=getattr(args, "database_url", None),
        redis_url=getattr(args, "redis_url", None),
        host=getattr(args, "host", None), port=getattr(args, "port", None),
        workers=getattr(args, "workers", None),
    )


def cmd_migrate(args: argparse.Namespace) -> int:
    from server.db import migrate

    migrate(_settings(args).database_url)
    print("Database is up to date.")
    return 0


def cmd_seed_demo(args: argparse.Namespace) -> int:
    from server import db
    from server.demo import seed_demo

    settings = _settings(args)
    db.migrate(settings.database_url)
    engine = db.make_engine(settings.database_url)
    with db.session(engine) as s:
        d = seed_demo(s, with_posts=not getattr(args, "empty", False))
    print(f"Demo session: /s/{d.slug}")
    return 0


def cmd_createuser(args: argparse.Namespace) -> int:
    from deliberation.errors import DomainError
    from deliberation.staff import check_new_staff, do_create_staff
    from server import db
    from server.auth import hash_password
    from server.errors import message

    settings = _settings(args)
    db.migrate(settings.database_url)
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password again: "):
            print("raati: the passwords differ", file=sys.stderr)
            return 2
    try:
        check_new_staff(args.username, password, args.role)
        engine = db.make_engine(settings.database_url)
        with db.session(engine) as s:
            do_create_staff(s, username=args.username, password_hash=hash_password(password),
                            role=args.role)
            s.commit()
    except DomainError as exc:
        print(f"raati: {message(exc.code, exc.params, lambda m: m)}", file=sys.stderr)
        return 2
    print(f"Created {args.role} {args.username}.")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from server.serve import serve

    settings = _settings(args)
    if args.demo:
        cmd_seed_demo(args)
        from server.demo import DEMO_SLUG

        print(f"Demo session: http://{settings.host}:{settings.port}/s/{DEMO_SLUG}", flush=True)
    return serve(settings)


def cmd_themes(argv: Sequence[str]) -> int:
    from nlp.cli import main as themes_main

    return themes_main(list(argv))


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="raati", description="Raati deliberation platform")
    p.add_argument("--database-url", help="default: DATABASE_URL, else SQLite under ./var/")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("serve", help="run the web server")
    s.add_argument("--host")
    s.add_argument("--port", type=int)
    s.add_argument("--workers", type=int, help="server processes (needs REDIS_URL when > 1)")
    s.add_argument("--redis-url", help="default: REDIS_URL; unset means one process only")
    s.add_argument("--demo", action="store_true", help="seed the demo session first")
    s.set_defaults(func=cmd_serve)

    m = sub.add_parser("migrate", help="bring the database schema up to date")
    m.set_defaults(func=cmd_migrate)

    d = sub.add_parser("seed-demo", help="create the demo session")
    d.add_argument("--empty", action="store_true", help="without example posts")
    d.set_defaults(func=cmd_seed_demo)

    c = sub.add_parser("createuser", help="create a staff account")
    c.add_argument("username")
    c.add_argument("--role", default="admin", choices=list(ROLES))
    c.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    c.set_defaults(func=cmd_createuser)

    sub.add_parser("themes", help="theme summary of a CSV of Finnish feedback (see raati themes -h)")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    if argv[:1] == ["themes"]:
        return cmd_themes(argv[1:])
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
