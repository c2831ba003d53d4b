from dataclasses import dataclass


@dataclass(frozen=True)
class RegionRef:
    id: int
    code: str
    name: str
    level: str


@dataclass(frozen=True)
class DepartmentRef:
    id: int
    name: str
    short_name: str
    uscc: str
    region_id: int
    phone: str


@dataclass(frozen=True)
class HallRef:
    id: int
    name: str
    address: str
    hours: str
    phone: str
    directions: str


@dataclass(frozen=True)
class WindowRef:
    """A counter in a hall and one department it is staffed for (a window serving two departments
    gives two refs)."""

    id: int
    hall_id: int
    hall_name: str
    number: str
    name: str
    department_id: int

    @property
    def label(self) -> str:
        return f"{self.hall_name} {self.number}号窗口 {self.name}"
