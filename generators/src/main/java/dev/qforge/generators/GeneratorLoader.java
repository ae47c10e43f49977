package dev.qforge.generators;

import dev.qforge.dsl.ElaborationException;
import dev.qforge.dsl.Module;
import dev.qforge.generators.registry.DidYouMean;

import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds a block from a class name and what a user wrote (a pom's {@code <parameters>} or
 * {@code <options>}, a command line). The class is a {@link BlockInfo} or a DSL {@link Module}.
 * <ul>
 *   <li>Positional parameters call the one public constructor with that many parameters whose
 *       types every text converts to (int, long, boolean, double, String, enum); none or several
 *       such constructors is an error that lists them.</li>
 *   <li>Named options call {@value #FROM_OPTIONS}{@code (String designName, Map<String, String> options)},
 *       a public static method returning a BlockInfo or a Module, for generators whose
 *       parameters are not plain values (a configuration record).</li>
 * </ul>
 * Every error is a {@link GeneratorException} naming the design and what is wrong.
 */
public final class GeneratorLoader {
    /** The factory a generator with named options provides. */
    public static final String FROM_OPTIONS = "fromOptions";

    /** A generator that cannot be built from what the user wrote; the message says why. */
    public static final class GeneratorException extends RuntimeException {
        public GeneratorException(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }

    private GeneratorLoader() { }

    /**
     * The block of design {@code designName}: from {@code options} when there are any, else from
     * the positional {@code parameters}; giving both is an error.
     */
    public static BlockInfo load(ClassLoader loader, String designName, String className, List<String> parameters,
                                 Map<String, String> options) {
        String where = "design '" + designName + "'";
        if (!parameters.isEmpty() && !options.isEmpty()) {
            throw new GeneratorException(where + " gives both parameters " + parameters + " and options " + options
                    + "; a generator takes one or the other", null);
        }
        Class<?> type = generatorClass(loader, where, className);
        return options.isEmpty() ? construct(where, designName, type, parameters) : fromOptions(where, designName, type, options);
    }

    private static Class<?> generatorClass(ClassLoader loader, String where, String className) {
        Class<?> type;
        try {
            type = Class.forName(className, true, loader);
        } catch (ClassNotFoundException e) {
            String hint = DidYouMean.hint(className, ClassNames.inPackageOf(loader, className));
            throw new GeneratorException(where + ": generator class " + className + " is not on the classpath" + hint, e); // its ClassNotFoundException only repeats the name
        } catch (LinkageError e) {
            throw new GeneratorException(where + ": generator class " + className + " is not on the classpath (" + e + ")", e);
        }
        if (!BlockInfo.class.isAssignableFrom(type) && !Module.class.isAssignableFrom(type)) {
            throw new GeneratorException(where + ": " + className + " is neither a dev.qforge.dsl.Module nor a dev.qforge.generators.BlockInfo", null);
        }
        return type;
    }

    // ---- positional parameters: a constructor ---------------------------------------------------------

    private static BlockInfo construct(String where, String designName, Class<?> type, List<String> args) {
        // sorted, so the messages do not depend on the JVM's order of reflection results
        List<Constructor<?>> all = new ArrayList<>(Arrays.asList(type.getConstructors()));
        all.sort(Comparator.comparing(Constructor::toGenericString));
        List<Constructor<?>> matching = new ArrayList<>();
        List<Object[]> converted = new ArrayList<>();
        for (Constructor<?> c : all) {
            Object[] values = c.getParameterCount() == args.size() ? convertAll(c.getParameterTypes(), args) : null;
            if (values != null) {
                matching.add(c);
                converted.add(values);
            }
        }
        if (matching.isEmpty()) {
            StringBuilder why = new StringBuilder();
            for (Constructor<?> c : all) {
                if (c.getParameterCount() == args.size()) {
                    why.append("; ").append(firstRefusal(c, args));
                }
            }
            throw new GeneratorException(where + ": no public constructor of " + type.getName() + " takes the " + args.size()
                    + " parameters " + args + why + "; constructors: " + signatures(all), null);
        }
        if (matching.size() > 1) {
            throw new GeneratorException(where + ": the parameters " + args + " fit several constructors of " + type.getName()
                    + " (" + signatures(matching) + "); remove the ambiguity in the generator, e.g. with a static "
                    + FROM_OPTIONS + " and <options>", null);
        }
        Constructor<?> c = matching.get(0);
        Object made = invoke(where, c, null, converted.get(0), args.toString());
        if (made instanceof BlockInfo b) {
            return b;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            params.put(c.getParameters()[i].isNamePresent() ? c.getParameters()[i].getName() : "arg" + i, args.get(i).trim());
        }
        return new ModuleBlockInfo(designName, (Module) made, params);
    }

    private static String signatures(List<Constructor<?>> cs) {
        return cs.isEmpty() ? "none public" : String.join(", ", cs.stream().map(Constructor::toGenericString).toList());
    }

    /**
     * Why {@code c} refuses {@code args}: its first parameter whose type the text does not convert
     * to, by name when the generator was compiled with {@code -parameters}, else by position.
     */
    private static String firstRefusal(Constructor<?> c, List<String> args) {
        java.lang.reflect.Parameter[] ps = c.getParameters();
        for (int i = 0; i < ps.length; i++) {
            if (convert(ps[i].getType(), args.get(i).trim()) == null) {
                String name = ps[i].isNamePresent() ? " '" + ps[i].getName() + "'" : "";
                return c.getDeclaringClass().getSimpleName() + "(" + String.join(", ", Arrays.stream(ps).map(GeneratorLoader::describe).toList())
                        + ") needs " + expected(ps[i].getType()) + " for parameter " + (i + 1) + name + ", got '" + args.get(i).trim() + "'";
            }
        }
        throw new IllegalStateException(c + " takes " + args);
    }

    private static String describe(java.lang.reflect.Parameter p) {
        return p.getType().getSimpleName() + (p.isNamePresent() ? " " + p.getName() : "");
    }

    /** What text a parameter type takes, as a user would write it. */
    private static String expected(Class<?> t) {
        if (t == int.class || t == Integer.class) {
            return "an int";
        }
        if (t == long.class || t == Long.class) {
            return "a long";
        }
        if (t == double.class || t == Double.class) {
            return "a number";
        }
        if (t == boolean.class || t == Boolean.class) {
            return "true or false";
        }
        if (t.isEnum()) {
            return "one of " + String.join(", ", Arrays.stream(t.getEnumConstants()).map(Object::toString).toList());
        }
        return "a value of a type that text does not convert to (" + t.getName() + ")";
    }

    /** The converted arguments, or null when some text does not fit its parameter type. */
    private static Object[] convertAll(Class<?>[] types, List<String> args) {
        Object[] out = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            out[i] = convert(types[i], args.get(i).trim());
            if (out[i] == null) {
                return null;
            }
        }
        return out;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object convert(Class<?> t, String s) {
        try {
            if (t == int.class || t == Integer.class) {
                return Integer.parseInt(s);
            }
            if (t == long.class || t == Long.class) {
                return Long.parseLong(s);
            }
            if (t == double.class || t == Double.class) {
                return Double.parseDouble(s);
            }
            if (t == boolean.class || t == Boolean.class) {
                return s.equals("true") ? Boolean.TRUE : s.equals("false") ? Boolean.FALSE : null;
            }
            if (t == String.class) {
                return s;
            }
            if (t.isEnum()) {
                return Enum.valueOf((Class) t, s.toUpperCase(Locale.ROOT));
            }
        } catch (IllegalArgumentException e) {
            return null;
        }
        return null;
    }

    // ---- named options: the generator's fromOptions ----------------------------------------------------

    private static BlockInfo fromOptions(String where, String designName, Class<?> type, Map<String, String> options) {
        String signature = "public static " + FROM_OPTIONS + "(String designName, java.util.Map<String, String> options)";
        Method m;
        try {
            m = type.getMethod(FROM_OPTIONS, String.class, Map.class);
        } catch (NoSuchMethodException e) {
            throw new GeneratorException(where + " has options " + options.keySet() + ", but " + type.getName() + " has no " + signature
                    + "; give its constructor's <parameters> instead", null);
        }
        boolean returnsBlock = BlockInfo.class.isAssignableFrom(m.getReturnType()) || Module.class.isAssignableFrom(m.getReturnType());
        if (!Modifier.isStatic(m.getModifiers()) || !returnsBlock) {
            throw new GeneratorException(where + ": " + type.getName() + "." + FROM_OPTIONS + " must be " + signature
                    + " returning a BlockInfo or a Module; it is " + m.toGenericString(), null);
        }
        Map<String, String> copy = new LinkedHashMap<>(options);
        Object made = invoke(where, m, null, new Object[] {designName, copy}, "options " + options);
        if (made == null) {
            throw new GeneratorException(where + ": " + type.getName() + "." + FROM_OPTIONS + " returned null", null);
        }
        return made instanceof BlockInfo b ? b : new ModuleBlockInfo(designName, (Module) made, new LinkedHashMap<>(options));
    }

    // ---- calling the generator --------------------------------------------------------------------------

    /**
     * Calls a constructor or static method. Elaboration errors pass through (they name the user's
     * file:line); an IllegalArgumentException is the generator refusing a value, reported with what
     * the user gave.
     */
    private static Object invoke(String where, Executable target, Object receiver, Object[] values, String given) {
        try {
            return target instanceof Constructor<?> c ? c.newInstance(values) : ((Method) target).invoke(receiver, values);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            String generator = target.getDeclaringClass().getName() + (target instanceof Method ? "." + FROM_OPTIONS : "");
            if (cause instanceof ElaborationException ee) {
                // a library block the loader built itself (dev.qforge.lib.Counter) has no user line: its errors would
                // name this file's line; they are the generator refusing what the user gave
                if (ee.diagnostics().size() == 1 && ee.diagnostics().get(0).where().className().equals(GeneratorLoader.class.getName())) {
                    throw new GeneratorException(where + ": " + generator + " rejects " + given + ": " + ee.diagnostics().get(0).message(), ee);
                }
                throw ee;
            }
            if (cause instanceof IllegalArgumentException) {
                throw new GeneratorException(where + ": " + generator + " rejects " + given + ": " + cause.getMessage(), cause);
            }
            throw new GeneratorException(where + ": " + generator + " failed on " + given + ": " + cause, cause);
        } catch (ReflectiveOperationException e) {
            throw new GeneratorException(where + ": cannot call " + target.toGenericString() + ": " + e, e);
        }
    }
}
