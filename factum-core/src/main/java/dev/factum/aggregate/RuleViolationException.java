// SPDX-License-Identifier: Apache-2.0
package dev.factum.aggregate;

import dev.factum.FactumException;

/**
 * A command was refused because it would break a business rule of the aggregate ({@code "positive-amount"},
 * {@code "no-withdrawal-beyond-balance"}). Thrown by an aggregate's decision function; a
 * {@link Repository} lets it through at once, writes nothing and does not retry, since deciding again on the same
 * state gives the same answer. The rule name is stable and meant for machines (an HTTP layer answers 422 naming it);
 * the message is for people.
 *
 * @since 0.1
 */
public class RuleViolationException extends FactumException {
    private final String rule;

    /**
     * @param rule    stable name of the broken rule, not blank
     * @param message what was refused and why
     * @throws IllegalArgumentException if the rule name is blank
     */
    public RuleViolationException(String rule, String message) {
        super(message);
        if (rule == null || rule.isBlank()) throw new IllegalArgumentException("rule name is blank");
        this.rule = rule;
    }

    /** The stable name of the broken rule. */
    public String rule() {
        return rule;
    }
}
