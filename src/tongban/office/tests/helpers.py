import uuid

from tongban.office import services

LEAVE = {"leave_type": "annual", "start_date": "2026-12-14", "days": 2, "reason": "回老家探亲"}
LEAVE_POST = {
    "leave_type": "annual",
    "start_date-year": "2026",
    "start_date-month": "12",
    "start_date-day": "14",
    "days": "2",
    "reason": "回老家探亲",
}
REPORT = {
    "title": "关于购置办公设备的请示",
    "importance": "normal",
    "amount": 8000,
    "content": "拟购置打印机两台。",
}
SEAL = {"document_name": "合作协议", "seal": "contract", "copies": 2, "purpose": "与某公司签订合作协议"}
PURCHASE = {
    "title": "打印机",
    "reason": "旧打印机已损坏",
    "category": "goods",
    "items": [{"name": "打印机", "quantity": 2, "unit_price": 3000, "amount": 6000}],
    "total": 6000,
}
ANSWERS = {
    "office_leave": LEAVE,
    "office_report": REPORT,
    "office_seal": SEAL,
    "office_purchase": PURCHASE,
}


def start(user, department, key="office_leave", answers=None, idempotency_key=None) -> int:
    return services.start_request(
        user_id=user.id,
        username=user.username,
        process_key=key,
        department_id=department.pk,
        answers=dict(answers if answers is not None else ANSWERS[key]),
        idempotency_key=idempotency_key or uuid.uuid4().hex,
    )
