"""The ``raati themes`` command: theme summaries of any Finnish feedback CSV.

    raati themes FILE.csv --text-column COL [--format json|md|csv] [--themes K]
    python -m nlp.cli FILE.csv --text-column COL ...

Optional columns add metadata: --id-column, --participant-column,
--support-column, --time-column (ISO 8601). Bad input prints one line on
stderr and exits with 2; a progress bar appears only on a terminal.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import NoReturn

from nlp.csv_input import FeedbackTable, InputError, read_table
from nlp.exports import to_csv, to_json, to_markdown
from nlp.themes import PostMeta, ThemeResult, compute_themes

__all__ = ["main"]

EXIT_BAD_INPUT = 2
_FORMATS: dict[str, Callable[[ThemeResult, Sequence[str]], str]] = {
    "json": to_json,
    "md": to_markdown,
    "csv": to_csv,
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise InputError(message)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="raati themes", description="Finnish theme summaries of a CSV.")
    parser.add_argument("file", help="UTF-8 CSV with a header line")
    parser.add_argument("--text-column", required=True, help="column holding the post text")
    parser.add_argument("--format", choices=sorted(_FORMATS), default="json")
    parser.add_argument("--themes", type=int, metavar="K", help="force K themes")
    parser.add_argument("--id-column", help="column of post ids")
    parser.add_argument("--participant-column", help="column of participant ids")
    parser.add_argument("--support-column", help="column of support counts")
    parser.add_argument("--time-column", help="column of ISO 8601 timestamps")
    return parser


def _int(value: str, row: int, column: str) -> int:
    try:
        return int(value.strip() or 0)
    except ValueError:
        raise InputError(f"row {row}: {column} is not a whole number: {value!r}") from None


def _time(value: str, row: int, column: str) -> datetime | None:
    if not value.strip():
        return None
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        raise InputError(f"row {row}: {column} is not an ISO 8601 time: {value!r}") from None


def _meta(table: FeedbackTable, args: argparse.Namespace) -> list[PostMeta]:
    def col(name: str | None) -> list[str] | None:
        return table.column(name) if name else None

    ids, people = col(args.id_column), col(args.participant_column)
    support, times = col(args.support_column), col(args.time_column)
    return [
        PostMeta(
            post_id=ids[i] if ids else None,
            participant_id=(people[i] or None) if people else None,
            support=_int(support[i], i, args.support_column) if support else 0,
            created_at=_time(times[i], i, args.time_column) if times else None,
        )
        for i in range(len(table.rows))
    ]


def _run(argv: list[str]) -> str:
    if argv[:1] == ["themes"]:
        argv = argv[1:]
    args = _parser().parse_args(argv)
    if args.themes is not None and args.themes < 1:
        raise InputError("--themes must be at least 1")
    table = read_table(args.file)
    texts = table.column(args.text_column)
    meta = _meta(table, args)
    if sys.stderr.isatty():
        from tqdm import tqdm

        with tqdm(total=len(texts), desc="Analysoidaan", unit="viesti", file=sys.stderr) as bar:
            result = compute_themes(texts, meta, k=args.themes, progress=bar.update)
    else:
        result = compute_themes(texts, meta, k=args.themes)
    if args.format == "csv":  # the CSV carries each post's support and date
        return to_csv(result, texts, meta)
    return _FORMATS[args.format](result, texts)


def main(argv: list[str]) -> int:
    """Run the command; returns the process exit code."""
    if any(a in ("-h", "--help") for a in argv):
        _parser().print_help()
        return 0
    try:
        output = _run(argv)
    except InputError as exc:
        print(f"raati themes: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    sys.stdout.write(output if output.endswith("\n") else output + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
