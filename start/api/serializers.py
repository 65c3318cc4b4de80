from rest_framework import serializers


class StartItemSerializer(serializers.Serializer):
    title = serializers.CharField()
    url = serializers.CharField(help_text="The page to open (a path on this site).")
    detail = serializers.CharField()
    state = serializers.CharField(help_text="A machine-readable state, or empty.")
    state_label = serializers.CharField()
    colour = serializers.CharField()
    when = serializers.CharField(allow_null=True, help_text="A date or a date and time.")
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
