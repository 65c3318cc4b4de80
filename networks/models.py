"""The networks app's models, as Django finds them: each feature package keeps its own
models module and this one imports them all (Django imports only ``<app>.models``). Code
imports a model from its feature package (``networks.library.models``), not from here:
this module sits above every layer of the import contract (.importlinter)."""

from networks.aid.models import (  # noqa: F401
    AssistanceOffer,
    AssistanceRequest,
    JointProcurement,
    OfferStatus,
    ProcurementItem,
    ProcurementLine,
    RequestPriority,
    RequestStatus,
)
from networks.comment_rounds.models import (  # noqa: F401
    CommentDecision,
    CommentRound,
    DocumentComment,
)
from networks.information.models import (  # noqa: F401
    Message,
    MessageAttachment,
    MessageQuestion,
    MessageRecipient,
    MessageReminder,
    Urgency,
)
from networks.library.models import (  # noqa: F401
    Adoption,
    Document,
    DocumentKind,
    DocumentShare,
    DocumentVersion,
    document_upload_to,
)
from networks.meetings.models import (  # noqa: F401
    AgendaItem,
    Decision,
    FollowUp,
    Invitation,
    Meeting,
    MeetingSeries,
    MinutesVersion,
)
from networks.resources.models import (  # noqa: F401
    Agreement,
    Resource,
    ResourceAvailability,
    ResourceCategory,
    ResourceShare,
)
from networks.structure.models import (  # noqa: F401
    AudienceShare,
    Availability,
    ContactEntry,
    Council,
    CouncilMembership,
    CouncilSeatQuerySet,
    CouncilStatus,
    County,
    MembershipQuerySet,
    Municipality,
    NeighbourBasis,
    NeighbourLink,
    Network,
    NetworkKind,
    NetworkMembership,
    Office,
    Organisation,
    OrganisationKind,
)
