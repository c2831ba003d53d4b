"""Data-sharing use cases: the catalog, exchange clients, access requests and grants, and the exchange
query itself (through the API or inside the platform), each use written to the usage log."""

from tongban.sharing.services.access import (
    ANSWER_WORKING_DAYS,
    approve_access_request,
    grant_access,
    has_pending_request,
    refuse_access_request,
    request_access,
)
from tongban.sharing.services.catalog import upsert_resource
from tongban.sharing.services.clients import (
    caller_for_client,
    disable_client,
    ensure_client,
    register_client,
    rotate_client_secret,
)
from tongban.sharing.services.exchange import (
    EXCHANGE_SCOPE,
    LICENSE_EXEMPTION_PURPOSE,
    PREFILL_PURPOSE,
    Account,
    platform_client_id,
    prefill_from_registries,
    prefill_keys_in,
    prefill_values,
    query_resource,
    subject_from_identifier,
    subject_of_account,
    use_for_platform,
)
from tongban.sharing.services.replay import check_request_time, purge_exchange_requests, query_resource_once

__all__ = [
    "ANSWER_WORKING_DAYS",
    "EXCHANGE_SCOPE",
    "LICENSE_EXEMPTION_PURPOSE",
    "PREFILL_PURPOSE",
    "Account",
    "approve_access_request",
    "caller_for_client",
    "check_request_time",
    "disable_client",
    "ensure_client",
    "grant_access",
    "has_pending_request",
    "platform_client_id",
    "prefill_from_registries",
    "prefill_keys_in",
    "prefill_values",
    "purge_exchange_requests",
    "query_resource",
    "query_resource_once",
    "refuse_access_request",
    "register_client",
    "request_access",
    "rotate_client_secret",
    "subject_from_identifier",
    "subject_of_account",
    "upsert_resource",
    "use_for_platform",
]
