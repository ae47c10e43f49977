package dev.qforge.dsl.output;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class OutputFolderTest {
    @Test
    void refusesEveryFileInTheWayAtOnceAndWritesNothing(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("out");
        OutputFolder.at(dir).put("a.v", "a1").put("report.txt", "r1").commit();
        Files.writeString(dir.resolve("README.md"), "my notes");
        Files.writeString(dir.resolve("report.txt"), "my edit");
        Map<String, String> before = contents(dir);
        OutputFolder.Refused e = assertThrows(OutputFolder.Refused.class,
                () -> OutputFolder.at(dir).put("a.v", "a2").put("README.md", "x").put("report.txt", "r2").commit());
        assertEquals("refusing to overwrite " + dir.resolve("README.md") + ": qforge did not write it; nor " + dir.resolve("report.txt")
                + ": it changed since qforge wrote it", e.getMessage());
        assertEquals(List.of(dir.resolve("README.md"), dir.resolve("report.txt")), e.files());
        assertEquals(before, contents(dir), "not even a.v, which qforge may replace, changed");
    }

    @Test
    void aFileWhereTheFolderGoesIsNamedAndLeftAlone(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("out"), "mine");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> OutputFolder.at(file, true).put("a.v", "a1").commit());
        assertEquals(file + " is a file, not a folder; give a folder (it is created when missing)", e.getMessage());
        assertEquals("mine", Files.readString(file));
        try (Stream<Path> beside = Files.list(tmp)) {
            assertEquals(List.of(file), beside.toList(), "no staging folder is left beside it");
        }
    }

    @Test
    void forceOverwritesAndTheManifestThenOwnsTheFiles(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("README.md"), "my notes");
        OutputFolder.at(dir, true).put("README.md", "generated").commit();
        assertEquals("generated", Files.readString(dir.resolve("README.md")));
        OutputFolder.at(dir).put("README.md", "again").commit();
        assertEquals("again", Files.readString(dir.resolve("README.md")));
        assertEquals("# files qforge wrote here, with their SHA-256; qforge replaces only these, and only while unchanged\n"
                + sha256Of("again") + "  README.md\n",
                Files.readString(dir.resolve(OutputFolder.MANIFEST)));
    }

    @Test
    void binaryFilesAreWrittenByteForByteAndOwnedLikeText(@TempDir Path dir) throws Exception {
        byte[] bin = {0x7E, (byte) 0xAA, (byte) 0x99, 0x7E, 0, (byte) 0xFF}; // an iCE40 bitstream starts 7E AA 99 7E; not UTF-8
        OutputFolder.at(dir).put("board.bin", bin).commit();
        assertArrayEquals(bin, Files.readAllBytes(dir.resolve("board.bin")));
        bin[0] = 1; // the folder keeps its own copy of what was staged
        OutputFolder.at(dir).put("board.bin", new byte[] {1, 2}).commit();
        assertArrayEquals(new byte[] {1, 2}, Files.readAllBytes(dir.resolve("board.bin")));
        Files.write(dir.resolve("board.bin"), new byte[] {3});
        assertThrows(OutputFolder.Refused.class, () -> OutputFolder.at(dir).put("board.bin", new byte[] {4}).commit());
    }

    @Test
    void aFailureWhileWritingLeavesTheFolderAsItWas(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("out");
        OutputFolder.at(dir).put("a.v", "a1").put("b.v", "b1").commit();
        Files.writeString(dir.resolve("notes.txt"), "mine");
        Map<String, String> before = contents(dir);
        // a name longer than the file system allows fails in the middle of writing, after a.v was written
        String tooLong = "x".repeat(300) + ".v";
        assertThrows(UncheckedIOException.class, () -> OutputFolder.at(dir).put("a.v", "a2").put(tooLong, "y").put("b.v", "b2").commit());
        assertEquals(before, contents(dir));
        try (Stream<Path> siblings = Files.list(tmp)) {
            assertEquals(List.of(dir), siblings.toList(), "no temporary folder is left behind");
        }
        // and a new folder is not created at all
        assertThrows(UncheckedIOException.class, () -> OutputFolder.at(tmp.resolve("new")).put(tooLong, "y").commit());
        assertFalse(Files.exists(tmp.resolve("new")));
    }

    @Test
    void removesOnlyItsOwnUnchangedFiles(@TempDir Path dir) throws Exception {
        OutputFolder.at(dir).put("old.v", "o").put("kept.v", "k").commit();
        Files.writeString(dir.resolve("mine.v"), "mine");
        OutputFolder.at(dir).remove("old.v").remove("mine.v").commit();
        assertFalse(Files.exists(dir.resolve("old.v")));
        assertEquals("mine", Files.readString(dir.resolve("mine.v")));
        assertEquals("k", OutputFolder.at(dir).ownContent("kept.v").orElseThrow());
        Files.writeString(dir.resolve("kept.v"), "edited");
        assertEquals(java.util.Optional.empty(), OutputFolder.at(dir).ownContent("kept.v"));
        assertThrows(OutputFolder.Refused.class, () -> OutputFolder.at(dir).remove("kept.v").commit());
        assertEquals("edited", Files.readString(dir.resolve("kept.v")));
    }

    @Test
    void onlyPlainFileNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OutputFolder.at(Path.of("x")).put("../a.v", ""));
        assertEquals("'../a.v' is not a file name qforge may write in an output folder", e.getMessage());
    }

    private static Map<String, String> contents(Path dir) throws Exception {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                m.put(f.getFileName().toString(), Files.readString(f));
            }
        }
        return m;
    }

    private static String sha256Of(String s) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
