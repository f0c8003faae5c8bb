package org.fgclip2.testing;

import java.util.stream.Stream;

/** JUnit {@code @MethodSource} providers over {@link GoldenFixture#all()}. */
public final class GoldenFixtures {
    private GoldenFixtures() {
    }

    public static Stream<GoldenFixture> each() {
        return GoldenFixture.all().stream().map(GoldenFixture::open);
    }
}
