from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo and benchmark data: the generator, the demo loader, the fixed test cast.

    The top of the house: it may import every app; no app imports it (tests aside).
    """

    name = "cso.demo"
    label = "demo"
    verbose_name = "演示数据"
