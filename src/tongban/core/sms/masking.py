"""Phone numbers on screen and in logs show only their first 3 and last 4 digits (T-M2, T-M3)."""


def mask_phone(phone: str) -> str:
    """``13800138000`` → ``138****8000``; anything that is not 11 characters → ``***``."""
    if len(phone) != 11:
        return "***"
    return f"{phone[:3]}****{phone[-4:]}"
