from django.contrib import admin

from tongban.moderation.models import SensitiveWord


@admin.register(SensitiveWord)
class SensitiveWordAdmin(admin.ModelAdmin):
    list_display = ("word", "category", "action", "created_at")
    list_filter = ("category", "action")
    search_fields = ("word",)
