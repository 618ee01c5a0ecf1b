// SPDX-License-Identifier: Apache-2.0
package dev.factum.test.conformance;

import dev.factum.store.EventStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;

/**
 * What every conformance suite shares: a fixture over a new, empty database before each test, closed after it.
 * A store plugs in by overriding {@link #createFixture()} in one subclass per suite.
 *
 * @since 0.1
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class StoreSuite {
    protected StoreFixture fixture;
    protected EventStore store;

    /** A fixture over a new, empty database; called before every test and closed after it. */
    protected abstract StoreFixture createFixture();

    @BeforeEach
    protected final void openFixture() {
        fixture = createFixture();
        store = fixture.eventStore();
    }

    @AfterEach
    protected final void closeFixture() {
        fixture.close();
    }
}
