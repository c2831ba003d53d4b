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
