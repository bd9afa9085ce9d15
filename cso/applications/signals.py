"""Signals of the application engine, for what reacts to a case without the engine knowing it
(notifications, statistics).

``application_moved(sender=Application, application=..., event=ApplicationEvent)`` is sent after the
transaction that recorded the move has committed — once per event row (created, saved, submitted,
accepted, sent back for 补正, approved, rejected, …).
"""

from django.dispatch import Signal

application_moved = Signal()
