package dev.qforge.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A command that runs out of memory or stack ends with one line saying what to do, not a stack trace. */
class MainTest {
    @Test
    void outOfMemoryNamesTheSettingToRaise() {
        long maxMb = Runtime.getRuntime().maxMemory() / (1024 * 1024);
        String err = Console.stderr(() -> assertEquals(1, Main.invoke("bench elaborate", a -> {
            throw new OutOfMemoryError("Java heap space");
        }, new String[0])));
        assertEquals("qforge bench elaborate: the Java heap (" + maxMb + " MB) is too small for this run; give the JVM more, "
                + "e.g. QFORGE_JAVA_OPTS=-Xmx8g ./qforge bench elaborate ...", err.strip());
    }

    @Test
    void stackOverflowNamesTheSettingToRaise() {
        String err = Console.stderr(() -> assertEquals(1, Main.invoke("demo", a -> {
            throw new StackOverflowError();
        }, new String[0])));
        assertEquals("qforge demo: the Java thread stack is too small for this design; give the JVM more, "
                + "e.g. QFORGE_JAVA_OPTS=-Xss64m ./qforge demo ...", err.strip());
    }
}
