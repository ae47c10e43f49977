package dev.qforge.dsl;

import java.util.Set;

/** Rules for names that reach the Verilog: legal identifiers that are not keywords. */
public final class Identifiers {
    private Identifiers() { }

    /** Verilog-2005 and SystemVerilog keywords: a name must not be one, so the RTL also parses as SV. */
    private static final Set<String> KEYWORDS = Set.of(
            "always", "and", "assign", "automatic", "begin", "buf", "bufif0", "bufif1", "case", "casex", "casez", "cell",
            "cmos", "config", "deassign", "default", "defparam", "design", "disable", "edge", "else", "end", "endcase",
            "endconfig", "endfunction", "endgenerate", "endmodule", "endprimitive", "endspecify", "endtable", "endtask",
            "event", "for", "force", "forever", "fork", "function", "generate", "genvar", "highz0", "highz1", "if",
            "ifnone", "incdir", "include", "initial", "inout", "input", "instance", "integer", "join", "large", "liblist",
            "library", "localparam", "macromodule", "medium", "module", "nand", "negedge", "nmos", "nor",
            "noshowcancelled", "not", "notif0", "notif1", "or", "output", "parameter", "pmos", "posedge", "primitive",
            "pull0", "pull1", "pulldown", "pullup", "pulsestyle_onevent", "pulsestyle_ondetect", "rcmos", "real",
            "realtime", "reg", "release", "repeat", "rnmos", "rpmos", "rtran", "rtranif0", "rtranif1", "scalared",
            "showcancelled", "signed", "small", "specify", "specparam", "strong0", "strong1", "supply0", "supply1",
            "table", "task", "time", "tran", "tranif0", "tranif1", "tri", "tri0", "tri1", "triand", "trior", "trireg",
            "unsigned", "use", "uwire", "vectored", "wait", "wand", "weak0", "weak1", "while", "wire", "wor", "xnor",
            "xor",
            // SystemVerilog
            "alias", "always_comb", "always_ff", "always_latch", "assert", "assume", "before", "bind", "bins", "binsof",
            "bit", "break", "byte", "chandle", "class", "clocking", "const", "constraint", "context", "continue", "cover",
            "covergroup", "coverpoint", "cross", "dist", "do", "endclass", "endclocking", "endgroup", "endinterface",
            "endpackage", "endprogram", "endproperty", "endsequence", "enum", "expect", "export", "extends", "extern",
            "final", "first_match", "foreach", "forkjoin", "iff", "ignore_bins", "illegal_bins", "import", "inside",
            "int", "interface", "intersect", "join_any", "join_none", "local", "logic", "longint", "matches", "modport",
            "new", "null", "package", "packed", "priority", "program", "property", "protected", "pure", "rand", "randc",
            "randcase", "randsequence", "ref", "return", "sequence", "shortint", "shortreal", "solve", "static",
            "string", "struct", "super", "tagged", "this", "throughout", "timeprecision", "timeunit", "type", "typedef",
            "union", "unique", "var", "virtual", "void", "wait_order", "wildcard", "with", "within");

    /** C++ keywords: Verilator turns every name into a C++ member, so these cannot be used either. */
    private static final Set<String> CPP_KEYWORDS = Set.of(
            "alignas", "alignof", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "catch", "char", "char8_t",
            "char16_t", "char32_t", "compl", "concept", "const_cast", "consteval", "constexpr", "constinit",
            "co_await", "co_return", "co_yield", "decltype", "delete", "double", "dynamic_cast", "explicit", "false",
            "float", "friend", "goto", "inline", "long", "mutable", "namespace", "noexcept", "not_eq", "nullptr",
            "operator", "or_eq", "private", "public", "register", "reinterpret_cast", "requires", "short",
            "sizeof", "static_assert", "static_cast", "switch", "template", "thread_local", "throw", "true", "try",
            "typeid", "typename", "using", "volatile", "wchar_t", "xor_eq", "NULL");

    /** Null when {@code n} is a usable name, otherwise what is wrong with it. */
    public static String problem(String n) {
        if (n == null || n.isEmpty()) {
            return "must not be empty";
        }
        if (KEYWORDS.contains(n)) {
            return "'" + n + "' is a Verilog keyword";
        }
        if (CPP_KEYWORDS.contains(n)) {
            return "'" + n + "' is a C++ keyword (Verilator compiles every name into C++)";
        }
        char c0 = n.charAt(0);
        if (!(Character.isLetter(c0) && c0 < 128 || c0 == '_')) {
            return "'" + n + "' must start with a letter or underscore";
        }
        for (int i = 1; i < n.length(); i++) {
            char c = n.charAt(i);
            if (!(c < 128 && (Character.isLetterOrDigit(c) || c == '_'))) {
                return "'" + n + "' has '" + c + "'; use letters, digits and _";
            }
        }
        return null;
    }

    static boolean isReservedPort(String n) {
        return n.equals("clk") || n.equals("rst");
    }
}
