package dev.qforge.generators;

import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/** The top-level classes a class loader can see in one package: the candidates for a misspelt class name. */
final class ClassNames {
    private ClassNames() { }

    /**
     * Fully qualified names of the top-level classes in {@code className}'s package (folders and jars
     * with folder entries, as Maven writes them), sorted; empty when none are found.
     */
    static List<String> inPackageOf(ClassLoader loader, String className) {
        int dot = className.lastIndexOf('.');
        String pkg = dot < 0 ? "" : className.substring(0, dot);
        String path = pkg.replace('.', '/');
        TreeSet<String> names = new TreeSet<>(); // sorted, so the suggestion does not depend on the classpath's order
        try {
            Enumeration<URL> roots = loader.getResources(path);
            while (roots.hasMoreElements()) {
                URL url = roots.nextElement();
                if (url.getProtocol().equals("file")) {
                    try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
                        files.map(f -> f.getFileName().toString()).forEach(f -> add(names, pkg, f));
                    }
                } else if (url.getProtocol().equals("jar") && url.openConnection() instanceof JarURLConnection jar) {
                    jar.setUseCaches(false);
                    try (JarFile file = jar.getJarFile()) {
                        for (Enumeration<JarEntry> es = file.entries(); es.hasMoreElements(); ) {
                            String e = es.nextElement().getName();
                            if (e.startsWith(path + "/") && e.indexOf('/', path.length() + 1) < 0) {
                                add(names, pkg, e.substring(path.length() + 1));
                            }
                        }
                    }
                }
            }
        } catch (IOException | URISyntaxException e) {
            return List.of(); // a suggestion is a courtesy: without a listing there is none
        }
        return new ArrayList<>(names);
    }

    private static void add(TreeSet<String> names, String pkg, String file) {
        if (file.endsWith(".class") && file.indexOf('$') < 0 && !file.equals("package-info.class") && !file.equals("module-info.class")) {
            String simple = file.substring(0, file.length() - ".class".length());
            names.add(pkg.isEmpty() ? simple : pkg + "." + simple);
        }
    }
}
