from django.contrib import admin

from .models import CommandArea, Drug, Force


@admin.register(Force)
class ForceAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "place", "aliases"]
    search_fields = ["name", "short_name", "aliases"]


@admin.register(CommandArea, Drug)
class NamedReferenceAdmin(admin.ModelAdmin):
    list_display = ["name", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]
