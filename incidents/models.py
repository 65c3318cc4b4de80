"""The incidents app's models, as Django finds them: each feature package keeps its own
models module and this one imports them all (Django imports only ``<app>.models``; the
migrations name ``incidents.models.attachment_path``). Code imports a model from its
feature package (``incidents.log.models``), not from here: this module sits above every
layer of the import contract (.importlinter)."""

from incidents.lessons.models import (  # noqa: F401
    Exercise,
    ExerciseScenario,
    ExerciseStatus,
    Lesson,
    LessonArea,
    LessonShare,
    LessonSource,
    LessonStatus,
)
from incidents.log.models import (  # noqa: F401
    Attachment,
    Correction,
    CrisisFrame,
    EntryKind,
    Incident,
    IncidentStatus,
    IncidentType,
    LogEntry,
    Severity,
    Share,
    Task,
    TaskStatus,
    attachment_path,
)
