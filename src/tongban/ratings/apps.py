from django.apps import AppConfig


class RatingsConfig(AppConfig):
    name = "tongban.ratings"
    label = "ratings"
    verbose_name = "好差评"

    def ready(self) -> None:
        # Overdue 差评整改 appear on the supervision board, which must not import ratings.
        from tongban.ratings.selectors import overdue_board_section
        from tongban.supervision.sections import register

        register(overdue_board_section)
