from celery import shared_task

from tongban.identity import backchannel


@shared_task(name="identity.send_backchannel_logout")
def send_backchannel_logout(user_id: int, targets: list[list[str]], issuer: str) -> int:
    return backchannel.notify_relying_parties(
        user_id, [(client_id, uri) for client_id, uri in targets], issuer
    )
