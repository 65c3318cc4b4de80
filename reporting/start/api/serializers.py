from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


@extend_schema_field(
    {"type": "string", "nullable": True, "description": "ISO 8601: a date, or a date and time."}
)
class WhenField(serializers.Field):
    """A date or a date and time, in ISO 8601."""

    def to_representation(self, value):
        return value.isoformat() if value is not None else None


class StartItemSerializer(serializers.Serializer):
    title = serializers.CharField()
    url = serializers.CharField(help_text="The page to open (a path on this site).")
    detail = serializers.CharField()
    state = serializers.CharField(help_text="A machine-readable state, or empty.")
    state_label = serializers.CharField()
    colour = serializers.CharField()
    when = WhenField()
    when_label = serializers.CharField()


class StartBlockSerializer(serializers.Serializer):
    key = serializers.CharField()
    role = serializers.CharField()
    title = serializers.CharField()
    empty = serializers.CharField(help_text="What the page says when the block is empty.")
    items = StartItemSerializer(many=True)
    total = serializers.IntegerField(help_text="How many there are (items holds the first).")
    more_url = serializers.CharField()
    more_label = serializers.CharField()


class StartSectionSerializer(serializers.Serializer):
    role = serializers.CharField(help_text="municipality, office, national, ks or all.")
    heading = serializers.CharField()
    blocks = StartBlockSerializer(many=True)
