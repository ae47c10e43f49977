package dev.qforge.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** No command that writes a folder overwrites a file qforge did not write there, and none leaves a half-written folder. */
class OutputProtectionTest {
    private static final String[] SMALL_ENGINE = {"generate", "systolic", "--rows", "2", "--cols", "2", "--max-k", "4"};

    @TempDir
    static Path project;
    static Path classes;

    @BeforeAll
    static void compileTheUsersClasses() throws Exception {
        classes = UserClasses.compile(project, UserClasses.DELAY, UserClasses.NO_PORTS);
    }

    @Test
    void generateSystolicRefusesToReplaceTheUsersReadmeAndReport(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("README.md"), "# my project\n");
        Files.writeString(dir.resolve("report.txt"), "my measurements\n");
        Map<String, String> before = contents(dir);
        assertEquals("qforge generate systolic: refusing to overwrite " + dir.resolve("README.md") + ", " + dir.resolve("report.txt")
                + ": qforge did not write them (move such files away, choose another -o folder, or add --force)",
                Cli.error(Cli.with(SMALL_ENGINE, "-o", dir.toString())));
        assertEquals(before, contents(dir), "nothing written, not even the Verilog");

        assertEquals("0", Cli.run(Cli.with(SMALL_ENGINE, "-o", dir.toString(), "--force"))[0]);
        assertTrue(Files.readString(dir.resolve("README.md")).startsWith("# " + dir.getFileName() + "\n"));
    }

    @Test
    void anOutputFolderThatIsAFileOrEmptyIsRefusedBeforeAnyWork(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("gemm"), "mine");
        assertEquals("qforge generate systolic: -o " + file + " is a file, not a folder; give a folder (it is created when missing)",
                Cli.error(Cli.with(SMALL_ENGINE, "-o", file.toString())));
        assertEquals("qforge bench elaborate: -o " + file + " is a file, not a folder; give a folder (it is created when missing)",
                Cli.error("bench", "elaborate", "--n", "2", "-o", file.toString()));
        assertEquals("mine", Files.readString(file));
        try (Stream<Path> beside = Files.list(dir)) {
            assertEquals(List.of(file), beside.toList(), "no staging folder is left beside it");
        }
        // an empty name would be the working folder
        assertEquals("qforge generate systolic: -o needs a folder name, got ''", Cli.error(Cli.with(SMALL_ENGINE, "-o", "")));
    }

    @Test
    void aRerunOverQforgesOwnOutputSucceedsAndKeepsTheUsersFiles(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("gemm");
        assertEquals("0", Cli.run(Cli.with(SMALL_ENGINE, "-o", out.toString()))[0]);
        Files.writeString(out.resolve("notes.md"), "mine");
        Map<String, String> first = contents(out);
        assertEquals("0", Cli.run(Cli.with(SMALL_ENGINE, "-o", out.toString()))[0]);
        assertEquals(first, contents(out), "byte-identical, the user's notes included");
        // another engine into the same folder replaces the old modules and keeps the notes
        assertEquals("0", Cli.run("generate", "systolic", "--rows", "3", "--cols", "2", "--max-k", "4", "-o", out.toString())[0]);
        assertEquals("WsPe_s8xs8_acc18_p3.v\nGemmEngine_ws_3x2_s8xs8_acc18_m256k4n256_p3.v\n", Files.readString(out.resolve("filelist.f")));
        assertTrue(Files.notExists(out.resolve("GemmEngine_ws_2x2_s8xs8_acc18_m256k4n256_p3.v")));
        assertEquals("mine", Files.readString(out.resolve("notes.md")));
    }

    @Test
    void aGeneratedFileTheUserEditedIsNamed(@TempDir Path dir) throws Exception {
        assertEquals("0", Cli.run(Cli.with(SMALL_ENGINE, "-o", dir.toString()))[0]);
        Path report = dir.resolve("report.txt");
        Files.writeString(report, Files.readString(report) + "my note\n");
        assertEquals("qforge generate systolic: refusing to overwrite " + report + ": it changed since qforge wrote it "
                + "(move such files away, choose another -o folder, or add --force)", Cli.error(Cli.with(SMALL_ENGINE, "-o", dir.toString())));
        assertTrue(Files.readString(report).endsWith("my note\n"));
    }

    @Test
    void generateClassFailingMidwayLeavesTheFolderAsItWas(@TempDir Path dir) throws Exception {
        assertEquals("0", Cli.run("generate", "--class", "com.example.Delay", "--param", "4", "-cp", classes.toString(), "-o", dir.toString())[0]);
        Files.writeString(dir.resolve("notes.md"), "mine");
        Map<String, String> before = contents(dir);
        // its Verilog elaborates, then its port table fails: no file of the new design may appear
        String[] r = Cli.run("generate", "--class", "com.example.NoPorts", "--option", "width=8", "-cp", classes.toString(), "-o", dir.toString());
        assertEquals("1", r[0], r[2]);
        assertEquals(before, contents(dir));
        try (Stream<Path> siblings = Files.list(dir.getParent())) {
            assertEquals(0, siblings.filter(p -> p.getFileName().toString().contains(".qforge-")).count(), "no temporary folder left");
        }
    }

    @Test
    void generateClassRefusesTheUsersFiles(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("Delay_w4.v"), "// my own delay\n");
        assertEquals("qforge generate: refusing to overwrite " + dir.resolve("Delay_w4.v")
                + ": qforge did not write it (move such files away, choose another -o folder, or add --force)",
                Cli.error("generate", "--class", "com.example.Delay", "--param", "4", "-cp", classes.toString(), "-o", dir.toString()));
        assertEquals("// my own delay\n", Files.readString(dir.resolve("Delay_w4.v")));
    }

    @Test
    void demoRefusesBeforeItsLongWork(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("README.md"), "# my project\n");
        String[] r = Cli.run("demo", "--no-synth", "-o", dir.toString());
        assertEquals("2", r[0], r[1] + r[2]);
        assertEquals("qforge demo: refusing to overwrite " + dir.resolve("README.md")
                + ": qforge did not write it (move such files away, choose another -o folder, or add --force)\n", r[2]);
        assertTrue(!r[1].contains("2/4"), "it stops before building the Verilator model: " + r[1]);
        assertEquals(Map.of("README.md", "# my project\n"), contents(dir));
    }

    @Test
    void benchElaborateRefusesTheUsersFiles(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("filelist.f"), "mine.v\n");
        assertEquals("qforge bench elaborate: refusing to overwrite " + dir.resolve("filelist.f")
                + ": qforge did not write it (move such files away, choose another -o folder, or add --force)",
                Cli.error("bench", "elaborate", "--n", "2", "-o", dir.toString()));
    }

    /** Every file of the folder (the manifest included) and its content. */
    static Map<String, String> contents(Path dir) throws Exception {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                m.put(f.getFileName().toString(), Files.readString(f));
            }
        }
        return m;
    }
}
