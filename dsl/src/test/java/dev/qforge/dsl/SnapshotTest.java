package dev.qforge.dsl;

import dev.qforge.lib.MacPe;
import dev.qforge.lib.SkidBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Pins the emitted Verilog of two small blocks and of negative constants in every context, so any change to the emitter shows up as a diff
 * in review. After an intended change, regenerate with {@code -Dqforge.updateSnapshots=true}.
 */
class SnapshotTest {
    private static final Path DIR = Path.of("src/test/resources/snapshots");

    static Stream<Arguments> blocks() {
        return Stream.of(Arguments.of(new SkidBuffer(8)), Arguments.of(new MacPe(8, 8, 32)), Arguments.of(new NegativeConstants()));
    }

    @ParameterizedTest
    @MethodSource("blocks")
    void emittedVerilogMatchesSnapshot(Module block) throws IOException {
        String actual = Design.elaborate(block).verilog(block.name());
        Path file = DIR.resolve(block.name() + ".v");
        if (Boolean.getBoolean("qforge.updateSnapshots")) {
            Files.createDirectories(DIR);
            Files.writeString(file, actual);
        }
        assertEquals(Files.readString(file), actual, "emitted Verilog of " + block.name() + " changed; if intended, run "
                + "mvn -pl dsl test -Dtest=SnapshotTest -Dqforge.updateSnapshots=true and review the diff");
    }
}
