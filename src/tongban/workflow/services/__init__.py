"""Workflow writes, one module per operation family (definitions, instances, handling, send_back,
handover, copies, monitor, cancel, timers; 会签 and 加签 live in ``workflow.countersign``). Callers
import this package and write ``services.complete_task``. Each call loads the instance's engine state, acts, and
saves it in the same transaction.

Concurrency (T-H2): the task row is locked (``select_for_update``) and must still be open; the
instance row is locked too, and its ``revision`` is bumped with a conditional update, so two
people completing the same task, or two tasks of one instance at once, cannot both win: the
second gets TaskConflict (409) and its transaction changes nothing.
"""

from tongban.workflow.services.cancel import (
    cancel_untouched_instance as cancel_untouched_instance,
)
from tongban.workflow.services.cancel import (
    end_withdrawn_instance as end_withdrawn_instance,
)
from tongban.workflow.services.copies import (
    copy_case as copy_case,
)
from tongban.workflow.services.copies import (
    mark_copy_read as mark_copy_read,
)
from tongban.workflow.services.definitions import (
    SHIPPED_KEYS as SHIPPED_KEYS,
)
from tongban.workflow.services.definitions import (
    check_definition as check_definition,
)
from tongban.workflow.services.definitions import (
    current_definition as current_definition,
)
from tongban.workflow.services.definitions import (
    install_definition as install_definition,
)
from tongban.workflow.services.definitions import (
    install_shipped_definitions as install_shipped_definitions,
)
from tongban.workflow.services.definitions import (
    upload_definition as upload_definition,
)
from tongban.workflow.services.handling import (
    MAX_DIRECT_SKIPS as MAX_DIRECT_SKIPS,
)
from tongban.workflow.services.handling import (
    claim_task as claim_task,
)
from tongban.workflow.services.handling import (
    complete_task as complete_task,
)
from tongban.workflow.services.handling import (
    finish_task as finish_task,
)
from tongban.workflow.services.handling import (
    may_act as may_act,
)
from tongban.workflow.services.handling import (
    refuse_if_countersign as refuse_if_countersign,
)
from tongban.workflow.services.handling import (
    refuse_if_delegated as refuse_if_delegated,
)
from tongban.workflow.services.handling import (
    refuse_if_suspended as refuse_if_suspended,
)
from tongban.workflow.services.handover import (
    cancel_out_of_office as cancel_out_of_office,
)
from tongban.workflow.services.handover import (
    colleagues_for as colleagues_for,
)
from tongban.workflow.services.handover import (
    delegate_task as delegate_task,
)
from tongban.workflow.services.handover import (
    return_delegated_task as return_delegated_task,
)
from tongban.workflow.services.handover import (
    set_out_of_office as set_out_of_office,
)
from tongban.workflow.services.handover import (
    transfer_task as transfer_task,
)
from tongban.workflow.services.instances import (
    announce_signing_turn as announce_signing_turn,
)
from tongban.workflow.services.instances import (
    plan_lanes as plan_lanes,
)
from tongban.workflow.services.instances import (
    recompute_due_dates as recompute_due_dates,
)
from tongban.workflow.services.instances import (
    set_due_by as set_due_by,
)
from tongban.workflow.services.instances import (
    start_instance as start_instance,
)
from tongban.workflow.services.instances import (
    void_signers as void_signers,
)
from tongban.workflow.services.monitor import (
    MONITOR_ROLE as MONITOR_ROLE,
)
from tongban.workflow.services.monitor import (
    reassign_task as reassign_task,
)
from tongban.workflow.services.monitor import (
    resume_instance as resume_instance,
)
from tongban.workflow.services.monitor import (
    suspend_instance as suspend_instance,
)
from tongban.workflow.services.monitor import (
    terminate_instance as terminate_instance,
)
from tongban.workflow.services.send_back import (
    direct_return_of as direct_return_of,
)
from tongban.workflow.services.send_back import (
    return_targets as return_targets,
)
from tongban.workflow.services.send_back import (
    send_back as send_back,
)
from tongban.workflow.services.send_back import (
    withdraw_task as withdraw_task,
)
from tongban.workflow.services.step_kinds import (
    create_step_kind as create_step_kind,
)
from tongban.workflow.services.step_kinds import (
    rename_step_kind as rename_step_kind,
)
from tongban.workflow.services.timers import (
    apply_timeout_actions as apply_timeout_actions,
)
from tongban.workflow.services.timers import (
    fire_due_timers as fire_due_timers,
)
