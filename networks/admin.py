"""Django admin for platform administrators (superusers only, see portal/admin.py). The
admin shows every row: it is the operators' tool, outside the organisational access layer."""

from django.contrib import admin

from networks.structure.models import (
    ContactEntry,
    Council,
    CouncilMembership,
    County,
    Municipality,
    Network,
    NetworkMembership,
    Office,
    Organisation,
)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "orgnr", "region"]
    list_filter = ["kind", "region"]
    search_fields = ["name", "short_name", "orgnr", "slug"]
    list_select_related = ["region"]


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["name_bokmaal", "orgnr", "slug"]
    search_fields = ["name", "name_bokmaal"]


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ["number", "name_no", "office", "population"]
    list_select_related = ["office"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["number", "label", "county", "population"]
    list_filter = ["county__office"]
    search_fields = ["number", "label", "name"]
    list_select_related = ["county"]
    readonly_fields = ["neighbours"]
    exclude = ["organisation"]


class NetworkMembershipInline(admin.TabularInline):
    model = NetworkMembership
    extra = 0
    autocomplete_fields = ["organisation"]
    can_delete = False  # end a membership with a date; history stays readable


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "owner"]
    search_fields = ["name", "short_name", "slug"]
    inlines = [NetworkMembershipInline]
    autocomplete_fields = ["owner"]


class CouncilMembershipInline(admin.TabularInline):
    model = CouncilMembership
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin):
    list_display = ["name", "office"]
    inlines = [CouncilMembershipInline]


@admin.register(ContactEntry)
class ContactEntryAdmin(admin.ModelAdmin):
    list_display = ["organisation", "function", "name", "phone", "availability", "updated_at"]
    list_filter = ["availability"]
    search_fields = ["organisation__name", "function", "name"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]
