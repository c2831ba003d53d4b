"""Application writes, one module per part of the journey; import from here."""

from tongban.applications.clock import paused_days, promised_finish_date
from tongban.applications.services.bindings import bind_item_process
from tongban.applications.services.clock import end_special_procedure, start_special_procedure
from tongban.applications.services.corrections import (
    outstanding_items,
    request_correction,
    resubmit_correction,
    save_correction_answers,
)
from tongban.applications.services.drafts import (
    MAX_FILES_PER_APPLICATION,
    attach_material,
    missing_required_materials,
    purge_expired_drafts,
    save_answers,
    start_application,
    submit_application,
)
from tongban.applications.services.exemptions import attach_held_licenses, may_hold_licenses, registry_prefill
from tongban.applications.services.handling import (
    CORRECTABLE_STEPS,
    accept_application,
    actions_for,
    decline_application,
    handle_task,
    send_back_task,
    sign_task,
    withdraw_task,
)
from tongban.applications.services.withdrawal import WITHDRAWABLE, withdraw_application

__all__ = [
    "CORRECTABLE_STEPS",
    "MAX_FILES_PER_APPLICATION",
    "WITHDRAWABLE",
    "accept_application",
    "actions_for",
    "attach_held_licenses",
    "attach_material",
    "bind_item_process",
    "decline_application",
    "end_special_procedure",
    "handle_task",
    "may_hold_licenses",
    "missing_required_materials",
    "outstanding_items",
    "paused_days",
    "promised_finish_date",
    "purge_expired_drafts",
    "registry_prefill",
    "request_correction",
    "resubmit_correction",
    "save_answers",
    "save_correction_answers",
    "send_back_task",
    "sign_task",
    "start_application",
    "start_special_procedure",
    "submit_application",
    "withdraw_application",
    "withdraw_task",
]
