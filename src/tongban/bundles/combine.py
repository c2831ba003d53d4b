"""The combined form and the shared materials of a bundle: pure functions over item snapshots.

Fields: the items' JSON-Schema forms (tongban.schemaforms) merged by field key. A key whose
definition is the same in every item that has it is asked once; a key defined differently by a later
item is asked again for that item under a key of its own (``<key>_<n>``, its label suffixed with the
item's name), and its ``x-when`` conditions follow the renaming. The answers map back to each item's
own keys (``answers_for``).

Materials: grouped by name across the items (the catalogue's material name is the shared code: 营业执照,
居民身份证); one upload serves every item of the group.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from tongban.catalog.types import ItemSnapshot

MAX_KEY = 40


@dataclass(frozen=True)
class CombinedForm:
    schema: dict[str, Any]
    ui_schema: dict[str, Any]
    # item id → {combined key: the item's own key}
    keys: dict[int, dict[str, str]]


@dataclass(frozen=True)
class SharedMaterial:
    key: str  # the material name, normalised
    name: str
    required: bool
    allowed_types: tuple[str, ...]
    max_size_mb: int
    # (item id, requirement id) of every item needing it
    requirements: tuple[tuple[int, int], ...]
    item_names: tuple[str, ...]


def _own_key(key: str, n: int) -> str:
    suffix = f"_{n}"
    return key[: MAX_KEY - len(suffix)] + suffix


def _order(schema: dict[str, Any], ui_schema: dict[str, Any]) -> list[str]:
    properties = list(schema.get("properties", {}))
    ordered = [k for k in ui_schema.get("ui:order", []) if k in properties]
    return ordered + [k for k in properties if k not in ordered]


def combine_forms(items: list[ItemSnapshot]) -> CombinedForm:
    """One form asking every field of the items, shared fields once (see the module docstring)."""
    properties: dict[str, Any] = {}
    ui: dict[str, Any] = {}
    order: list[str] = []
    required: set[str] = set()
    keys: dict[int, dict[str, str]] = {}
    for n, item in enumerate(items, start=1):
        schema, ui_schema = item.form_schema or {}, item.ui_schema or {}
        own = schema.get("properties", {})
        mapping: dict[str, str] = {}
        for key in _order(schema, ui_schema):
            if key not in properties or properties[key] == own[key]:
                mapping[key] = key
            else:
                mapping[key] = _own_key(key, n)
        for key in _order(schema, ui_schema):
            combined = mapping[key]
            if combined in properties:
                if key in schema.get("required", []):
                    required.add(combined)
                continue
            definition = copy.deepcopy(own[key])
            when = definition.get("x-when")
            if isinstance(when, dict) and when.get("field") in mapping:
                when["field"] = mapping[when["field"]]
            properties[combined] = definition
            entry = copy.deepcopy(ui_schema.get(key, {}))
            if combined != key:
                entry["ui:label"] = f"{entry.get('ui:label', key)}（{item.name}）"
            ui[combined] = entry
            order.append(combined)
            if key in schema.get("required", []):
                required.add(combined)
        keys[item.item_id] = {combined: own for own, combined in mapping.items()}
    merged = {"type": "object", "properties": properties, "required": [k for k in order if k in required]}
    return CombinedForm(schema=merged, ui_schema={"ui:order": order, **ui}, keys=keys)


def answers_for(form: CombinedForm, item_id: int, answers: dict[str, Any]) -> dict[str, Any]:
    """The combined answers as the item's own form names them (fields it does not ask left out)."""
    return {own: answers[combined] for combined, own in form.keys[item_id].items() if combined in answers}


def material_key(name: str) -> str:
    return "".join(name.split())


def shared_materials(items: list[ItemSnapshot]) -> list[SharedMaterial]:
    """The items' materials, each name once, in the order first listed."""
    groups: dict[str, list[tuple[ItemSnapshot, Any]]] = {}
    for item in items:
        for material in item.materials:
            groups.setdefault(material_key(material.name), []).append((item, material))
    shared = []
    for key, members in groups.items():
        types = set(members[0][1].allowed_types)
        for _item, material in members[1:]:
            types &= set(material.allowed_types)
        shared.append(
            SharedMaterial(
                key=key,
                name=members[0][1].name,
                required=any(m.necessity == "required" for _i, m in members),
                allowed_types=tuple(t for t in members[0][1].allowed_types if t in types),
                max_size_mb=min(m.max_size_mb for _i, m in members),
                requirements=tuple((i.item_id, m.id) for i, m in members),
                item_names=tuple(dict.fromkeys(i.name for i, _m in members)),
            )
        )
    return shared
