// SPDX-License-Identifier: Apache-2.0
package dev.factum.cli;

import dev.factum.FactumException;

/** A command failed for a reason its message names fully (exit code 1). */
final class CliFailure extends FactumException {
    CliFailure(String message) {
        super(message);
    }

    CliFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
