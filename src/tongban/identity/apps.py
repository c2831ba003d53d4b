from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "tongban.identity"
    label = "identity"
    verbose_name = "统一身份认证"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_out

        from tongban.identity.backchannel import after_logout

        user_logged_out.connect(after_logout, dispatch_uid="identity.backchannel_logout")
