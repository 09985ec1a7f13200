package dev.moat.scenario;

import dev.moat.check.ReasonCode;

/**
 * One step of the scripted scenario: who tried what, what Moat decided, and what was expected.
 * {@code code} is null for an allowed call.
 */
public record ScenarioStep(int number, String title, String agent, String action, String resource,
                           boolean allowed, String stage, ReasonCode code, String detail, boolean asExpected) {}
