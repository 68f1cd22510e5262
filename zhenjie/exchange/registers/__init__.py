"""The registers that can be exported and imported, by name."""

from .agencies import AgencyAssessmentRegister
from .base import ImportOutcome, ImportRefused, Register
from .docking import DockingRegister
from .duties import DutyItemRegister
from .enforcement import CertificateRegister, EquipmentRegister
from .leadership import LeadershipRegister
from .movements import MovementRegister
from .persons import PersonRegister
from .powers import AcceptanceRegister, PowerItemRegister, PowerUsageRegister
from .units import UnitRegister

REGISTERS: dict[str, Register] = {
    r.name: r
    for r in (
        UnitRegister(),
        PersonRegister(),
        MovementRegister(),
        DockingRegister(),
        LeadershipRegister(),
        PowerItemRegister(),
        AcceptanceRegister(),
        PowerUsageRegister(),
        DutyItemRegister(),
        AgencyAssessmentRegister(),
        CertificateRegister(),
        EquipmentRegister(),
    )
}


def get_register(name: str) -> Register:
    """The register called ``name``; KeyError if there is none."""
    return REGISTERS[name]


__all__ = ["REGISTERS", "ImportOutcome", "ImportRefused", "Register", "get_register"]
