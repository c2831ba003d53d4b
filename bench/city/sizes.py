"""What each benchmark size loads. A prepared database records its size and is reused when it matches."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Sizes:
    """Rows the loader puts in the city (on top of the demo city and the template cases).

    ``applications`` cloned cases; ``open_tasks`` of them still have an open workflow task (the rest
    are closed, approved or rejected, or wait for 补正); ``citizens`` share the cloned applications;
    ``catalogue_items`` published items; ``usage_log`` rows of the data-usage log (a valid hash chain).
    """

    name: str
    applications: int
    open_tasks: int
    citizens: int
    catalogue_items: int
    usage_log: int

    def as_dict(self) -> dict[str, int | str]:
        return asdict(self)


SIZES = {
    "full": Sizes("full", 1_000_000, 100_000, 100_000, 100_000, 1_000_000),
    "quick": Sizes("quick", 50_000, 5_000, 5_000, 10_000, 50_000),
    "sqlite": Sizes("sqlite", 100_000, 10_000, 10_000, 10_000, 100_000),
    "tiny": Sizes("tiny", 60, 12, 10, 20, 50),  # the loader's test
}
