package dev.qforge.fpga.shell.regmap;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An AXI4-Lite register map, described once: the shell's register file (RTL), the C header, the
 * Python module and the Markdown table are all emitted from this description. Registers are 32
 * bits wide at word-aligned byte offsets; reads of an offset not in the map answer SLVERR.
 */
public final class RegisterMap {
    /** How software may access a register. */
    public enum Access {
        /** Read only: a constant of the design ({@link Register#value()} set) or a live status or counter. */
        RO,
        /** Read and write; writes honour WSTRB byte lanes. */
        RW,
        /** Read; writing a 1 to a bit clears it (interrupt status). */
        W1C
    }

    /** A bit field of a register: bits [lsb, lsb + width). */
    public record Field(String name, int lsb, int width, String description) {
        public long mask() {
            return ((1L << width) - 1) << lsb;
        }
    }

    /**
     * One register. {@code value} is the constant a read returns (null when the value is live);
     * {@code reset} the value after reset for live registers.
     */
    public record Register(String name, int offset, Access access, Long value, long reset, String description, List<Field> fields) {
        public Register {
            fields = List.copyOf(fields);
        }

        /** The value a read returns right after reset. */
        public long resetRead() {
            return value != null ? value : reset;
        }
    }

    private final String name;
    private final int addressBits;
    private final List<Register> registers;

    private RegisterMap(String name, int addressBits, List<Register> registers) {
        this.name = name;
        this.addressBits = addressBits;
        this.registers = List.copyOf(registers);
    }

    /** The map's name: a C and Python identifier prefix (the design's name). */
    public String name() { return name; }
    /** Width of the AXI4-Lite byte addresses. */
    public int addressBits() { return addressBits; }
    /** Every register in ascending offset order. */
    public List<Register> registers() { return registers; }

    public Register register(String regName) {
        return registers.stream().filter(r -> r.name().equals(regName)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "register map " + name + " has no register '" + regName + "'"));
    }

    /** Registers are added in offset order; each offset is the next free word unless given. */
    public static final class Builder {
        private final String name;
        private final List<Register> registers = new ArrayList<>();
        private final Set<String> names = new HashSet<>();
        private int next;

        public Builder(String name) {
            requireIdentifier(name, "register map name");
            this.name = name;
        }

        /** Continues at byte offset {@code offset} (word aligned, above every register so far). */
        public Builder at(int offset) {
            if (offset % 4 != 0 || offset < next) {
                throw new IllegalArgumentException("register offset 0x" + Integer.toHexString(offset) + " is not word aligned above 0x"
                        + Integer.toHexString(next));
            }
            next = offset;
            return this;
        }

        public Builder constant(String regName, long value, String description) {
            return add(new Register(regName, next, Access.RO, value & 0xFFFF_FFFFL, 0, description, List.of()));
        }

        public Builder live(String regName, Access access, long reset, String description, Field... fields) {
            return add(new Register(regName, next, access, null, reset, description, List.of(fields)));
        }

        private Builder add(Register r) {
            requireIdentifier(r.name(), "register name");
            if (!names.add(r.name())) {
                throw new IllegalArgumentException("register '" + r.name() + "' is defined twice in map " + name);
            }
            for (Field f : r.fields()) {
                requireIdentifier(f.name(), "field name");
                if (f.lsb() < 0 || f.width() < 1 || f.lsb() + f.width() > 32) {
                    throw new IllegalArgumentException("field " + r.name() + "." + f.name() + " does not fit 32 bits");
                }
            }
            registers.add(r);
            next = r.offset() + 4;
            return this;
        }

        public RegisterMap build() {
            int bits = 2;
            while ((1 << bits) < next) {
                bits++;
            }
            return new RegisterMap(name, Math.max(bits, 12), registers);
        }
    }

    private static void requireIdentifier(String s, String what) {
        if (!s.matches("[A-Za-z][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException(what + " '" + s + "' is not an identifier (letters, digits, _)");
        }
    }
}
