"""``stationnet contract``: the wire contract as JSON Schema and AsyncAPI files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

__all__ = ["contract_app"]

contract_app = typer.Typer(no_args_is_help=True, help=__doc__)


@contract_app.command("export")
def contract_export(
    out: Annotated[Path, typer.Option(help="folder for the files")] = Path("docs/contract"),
    check: Annotated[bool, typer.Option(help="write nothing; fail if the folder's files "
                                             "differ from the models")] = False,
) -> None:
    """Write the JSON Schema of every message and the AsyncAPI document into OUT."""
    from sync.contract import export_contract, stale_contract_files  # only when asked

    if check:
        stale = stale_contract_files(out)
        if stale:
            typer.echo(f"stationnet contract: {', '.join(stale)} in {out} differ from the "
                       f"models; run `stationnet contract export --out {out}` and commit them",
                       err=True)
            raise typer.Exit(1)
        typer.echo(f"{out}: the contract files match the models")
        return
    for path in export_contract(out):
        typer.echo(str(path))
