from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BundlesConfig(AppConfig):
    name = "tongban.bundles"
    verbose_name = _("一件事一次办")

    def ready(self) -> None:
        # Bundles sit above the catalogue and applications: they hand their search hits and their
        # case groups to the hooks those apps offer, which never import bundles.
        from tongban.applications.case_groups import register_case_groups
        from tongban.bundles import selectors
        from tongban.catalog.featured import register_featured

        register_featured(selectors.featured_bundles)
        register_case_groups(selectors.case_groups)
