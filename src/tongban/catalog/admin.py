"""Staff UI for catalog editors (Django admin, in Chinese), scoped to the editor's departments.

Published versions are read-only; "新建草稿" copies one into an editable draft and "发布" publishes a
draft after every data-quality rule passes. Rules that need the lists (materials, steps, FAQ, fees)
are checked across the inline formsets before anything is saved.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tongban.catalog import selectors, services
from tongban.catalog.errors import CatalogError
from tongban.catalog.models import (
    FaqEntry,
    Fee,
    LegalBasis,
    MaterialRequirement,
    ProcessStep,
    ServiceItem,
    ServiceItemVersion,
    SpecialProcedure,
    Theme,
    VersionStatus,
)
from tongban.catalog.rules import check_item


def _live_forms(formset: BaseInlineFormSet) -> list:
    return [
        form
        for form in formset.forms
        if getattr(form, "cleaned_data", None) and not form.cleaned_data.get("DELETE")
    ]


class VersionPartFormSet(BaseInlineFormSet):
    """Inline formset that, as the last one validated, checks the item rules over all lists."""

    siblings: list[BaseInlineFormSet]

    def clean(self) -> None:
        super().clean()
        if self is not self.siblings[-1] or any(not fs.is_valid() for fs in self.siblings[:-1]):
            return
        by_model = {fs.model: fs for fs in self.siblings}
        version = self.instance

        def count(model: type) -> int:
            return len(_live_forms(by_model[model]))

        facts = services.facts_from(
            version,
            fee_count=count(Fee),
            faq_count=count(FaqEntry),
            step_names=tuple(form.cleaned_data["name"] for form in _live_forms(by_model[ProcessStep])),
            legal_basis_count=count(LegalBasis),
            has_result_sample=bool(version.result_sample),
        )
        violations = check_item(facts)
        if violations:
            raise ValidationError([v.message for v in violations])


class PartInline(admin.StackedInline):
    formset = VersionPartFormSet
    extra = 0

    def has_change_permission(self, request: HttpRequest, obj: ServiceItemVersion | None = None) -> bool:
        return obj is None or obj.is_editable

    has_add_permission = has_change_permission
    has_delete_permission = has_change_permission


class LegalBasisInline(PartInline):
    model = LegalBasis


class SpecialProcedureInline(PartInline):
    model = SpecialProcedure


class ProcessStepInline(PartInline):
    model = ProcessStep


class MaterialInline(PartInline):
    model = MaterialRequirement


class FeeInline(PartInline):
    model = Fee


class FaqInline(PartInline):
    model = FaqEntry


@admin.register(ServiceItemVersion)
class ServiceItemVersionAdmin(admin.ModelAdmin):
    list_display = ("name", "item", "number", "status", "online_depth", "published_at")
    list_filter = ("status", "kind", "online_depth")
    search_fields = ("name", "item__implementation_code")
    inlines = [
        LegalBasisInline,
        ProcessStepInline,
        MaterialInline,
        FeeInline,
        FaqInline,
        SpecialProcedureInline,
    ]
    readonly_fields = ("item", "number", "status", "published_at", "published_by")
    filter_horizontal = ("themes",)
    actions = ["publish_selected", "start_drafts"]

    def get_queryset(self, request: HttpRequest):
        return selectors.versions_for_editor(request.user.pk)

    def has_add_permission(self, request: HttpRequest) -> bool:
        # New items come through the API or the demo loader, which assign codes.
        return False

    def has_change_permission(self, request: HttpRequest, obj: ServiceItemVersion | None = None) -> bool:
        return obj is None or obj.is_editable

    def has_delete_permission(self, request: HttpRequest, obj: ServiceItemVersion | None = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: ServiceItemVersion | None = None) -> bool:
        return bool(selectors.editable_department_ids(request.user.pk))

    has_module_permission = has_view_permission

    def _create_formsets(self, request, obj, change):
        formsets, inline_instances = super()._create_formsets(request, obj, change)
        for formset in formsets:
            formset.siblings = formsets
        return formsets, inline_instances

    @admin.action(description=_("发布所选草稿"))
    def publish_selected(self, request: HttpRequest, queryset) -> None:
        for version in queryset.filter(status=VersionStatus.DRAFT):
            try:
                services.publish_version(version_id=version.pk, actor_id=request.user.pk)
            except CatalogError as exc:
                self.message_user(request, f"{version.name}：{exc.message}", messages.ERROR)
                for detail in exc.details[1:]:
                    self.message_user(request, f"{version.name}：{detail}", messages.ERROR)
            else:
                self.message_user(request, _("已发布：%(name)s") % {"name": version.name}, messages.SUCCESS)

    @admin.action(description=_("为所选事项新建草稿"))
    def start_drafts(self, request: HttpRequest, queryset) -> None:
        for version in queryset:
            try:
                ref = services.start_draft(item_id=version.item_id, actor_id=request.user.pk)
            except CatalogError as exc:
                self.message_user(request, f"{version.name}：{exc.message}", messages.ERROR)
            else:
                self.message_user(
                    request, _("草稿已就绪：%(name)s（第%(n)s版）") % {"name": ref.name, "n": ref.number}
                )


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ("name", "audience", "sort_order")
    list_filter = ("audience",)


@admin.register(ServiceItem)
class ServiceItemAdmin(admin.ModelAdmin):
    list_display = ("implementation_code", "basic_code", "department", "published_version")
    search_fields = ("implementation_code", "basic_code")
    readonly_fields = ("implementation_code", "basic_code", "department", "published_version", "created_at")

    def get_queryset(self, request: HttpRequest):
        return (
            super()
            .get_queryset(request)
            .filter(department_id__in=selectors.editable_department_ids(request.user.pk))
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ServiceItem | None = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: ServiceItem | None = None) -> bool:
        return bool(selectors.editable_department_ids(request.user.pk))

    has_module_permission = has_view_permission
