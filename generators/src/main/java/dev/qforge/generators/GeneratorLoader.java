package dev.qforge.generators;

import dev.qforge.dsl.ElaborationException;
import dev.qforge.dsl.Module;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds a block from a class name and positional parameters given as text (a pom's
 * {@code <parameters>} or a command line): the class is a {@link BlockInfo} or a DSL
 * {@link Module}; its public constructor with that many parameters is called, each text value
 * converted to the constructor's parameter type (int, long, boolean, double, String, enum).
 */
public final class GeneratorLoader {
    /** A generator that cannot be built from what the user wrote; the message says why. */
    public static final class GeneratorException extends RuntimeException {
        public GeneratorException(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }

    private GeneratorLoader() { }

    public static BlockInfo load(ClassLoader loader, String designName, String className, List<String> args) {
        Class<?> type;
        try {
            type = Class.forName(className, true, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new GeneratorException("generator class " + className + " is not on the classpath (" + e + ")", e);
        }
        if (!BlockInfo.class.isAssignableFrom(type) && !Module.class.isAssignableFrom(type)) {
            throw new GeneratorException(className + " is neither a dev.qforge.dsl.Module nor a dev.qforge.generators.BlockInfo", null);
        }
        List<String> tried = new ArrayList<>();
        for (Constructor<?> c : type.getConstructors()) {
            tried.add(c.toGenericString());
            if (c.getParameterCount() != args.size()) {
                continue;
            }
            Object[] values = convertAll(c.getParameterTypes(), args);
            if (values == null) {
                continue;
            }
            Object made = construct(c, values, className);
            if (made instanceof BlockInfo b) {
                return b;
            }
            Map<String, String> params = new LinkedHashMap<>();
            for (int i = 0; i < args.size(); i++) {
                params.put(c.getParameters()[i].isNamePresent() ? c.getParameters()[i].getName() : "arg" + i, args.get(i));
            }
            return new ModuleBlockInfo(designName, (Module) made, params);
        }
        throw new GeneratorException("no public constructor of " + className + " takes the " + args.size() + " parameters " + args
                + "; constructors: " + (tried.isEmpty() ? "none public" : String.join(", ", tried)), null);
    }

    private static Object construct(Constructor<?> c, Object[] values, String className) {
        try {
            return c.newInstance(values);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ElaborationException ee) {
                throw ee;
            }
            throw new GeneratorException(className + Arrays.toString(values) + " failed: " + cause, cause);
        } catch (ReflectiveOperationException e) {
            throw new GeneratorException("cannot call " + c.toGenericString() + ": " + e, e);
        }
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
}
