"""``python -m briefgen`` and the ``briefgen`` console command.

The CLI (typer) is imported only when the command runs: ``regen --jobs`` starts its workers with
multiprocessing's spawn, which imports the console command's script again in each worker, and a
worker needs none of the CLI (1.1 MiB and 30 ms of typer a worker)."""


def entry() -> None:
    from .gcpolicy import one_shot

    one_shot()   # before typer and pydantic are imported, so that their imports run without the collector too
    from .cli import entry as run

    run()


if __name__ == "__main__":
    entry()
