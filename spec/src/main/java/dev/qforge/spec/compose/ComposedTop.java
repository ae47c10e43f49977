package dev.qforge.spec.compose;

import dev.qforge.dsl.Expr;
import dev.qforge.dsl.Instance;
import dev.qforge.dsl.Module;
import dev.qforge.dsl.Signal;
import dev.qforge.lib.SyncFifo;
import dev.qforge.spec.check.StreamPort;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The top of a spec: one instance per block, its connections wired (through a {@link SyncFifo}
 * where the spec asks for one: the beat's fields packed into one word), and every stream or port
 * of a block left unconnected brought out as a top-level port named {@code <block>_<port>}.
 */
public final class ComposedTop extends Module {
    /** What drives a stream: its valid and fields, and the ready the composition drives back. */
    private record Source(Expr valid, List<Expr> fields, Signal ready) { }

    /** What takes a stream: the valid and fields the composition drives, and its ready. */
    private record Sink(Signal valid, List<Signal> fields, Expr ready) { }

    /**
     * A top-level port or stream and what it brings out: {@code port} is a stream of {@code block}
     * (the top's ports are {@code top_<field>}), or a loose port when {@code stream} is false.
     */
    public record Export(String top, String block, String port, boolean stream) { }

    private final List<Export> exports = new ArrayList<>();

    /**
     * @param blocks each block's name and module, in spec order (one module object per distinct block)
     * @param links  the connections, in spec order
     */
    public ComposedTop(String name, Map<String, Module> blocks, List<Link> links) {
        super(name);
        Map<String, Instance<?>> instances = new java.util.LinkedHashMap<>();
        blocks.forEach((n, def) -> instances.put(n, instance(n, def)));
        Set<String> linked = new HashSet<>();
        for (Link l : links) {
            if (l.from().isTop()) {
                exports.add(new Export(l.from().top(), l.to().block(), l.to().stream().name(), true));
            }
            if (l.to().isTop()) {
                exports.add(new Export(l.to().top(), l.from().block(), l.from().stream().name(), true));
            }
            Source src = l.from().isTop() ? topIn(l.from().top(), l.to().stream()) : source(instances.get(l.from().block()), l.from().stream());
            Sink dst = l.to().isTop() ? topOut(l.to().top(), l.from().stream()) : sink(instances.get(l.to().block()), l.to().stream());
            if (l.fifoDepth() > 0) {
                connectThroughFifo(src, dst, l.fifoDepth(), "fifo_" + (l.from().isTop() ? l.from().top() : l.from().block() + "_" + l.from().stream().name()));
            } else {
                connect(src, dst);
            }
            linked.add(l.from().toString());
            linked.add(l.to().toString());
        }
        blocks.forEach((n, def) -> {
            List<StreamPort> streams = StreamPort.of(def);
            for (StreamPort s : streams) {
                if (!linked.contains(n + "." + s.name())) {
                    exports.add(new Export(n + "_" + s.name(), n, s.name(), true));
                    if (s.input()) {
                        connect(topIn(n + "_" + s.name(), s), sink(instances.get(n), s));
                    } else {
                        connect(source(instances.get(n), s), topOut(n + "_" + s.name(), s));
                    }
                }
            }
            for (Signal p : StreamPort.loose(def, streams)) {
                Signal io = instances.get(n).io(p);
                exports.add(new Export(n + "_" + p.name(), n, p.name(), false));
                if (p.kind() == Signal.Kind.INPUT) {
                    io.set(input(n + "_" + p.name(), p.type()));
                } else {
                    output(n + "_" + p.name(), p.type()).set(io);
                }
            }
        });
    }

    /** Every top-level stream and loose port, with the block port it brings out. */
    public List<Export> exports() {
        return List.copyOf(exports);
    }

    private static Source source(Instance<?> inst, StreamPort s) {
        return new Source(inst.io(s.valid()), s.fields().stream().map(f -> (Expr) inst.io(f)).toList(), inst.io(s.ready()));
    }

    private static Sink sink(Instance<?> inst, StreamPort s) {
        return new Sink(inst.io(s.valid()), s.fields().stream().map(inst::io).toList(), inst.io(s.ready()));
    }

    /** Top-level input ports {@code name_valid}, {@code name_<field>} and output {@code name_ready}, shaped as {@code like}. */
    private Source topIn(String name, StreamPort like) {
        Signal valid = input(name + "_valid", like.valid().type());
        Signal ready = output(name + "_ready", like.ready().type());
        List<Expr> fields = new ArrayList<>();
        for (Signal f : like.fields()) {
            fields.add(input(name + "_" + like.fieldName(f), f.type()));
        }
        return new Source(valid, fields, ready);
    }

    private Sink topOut(String name, StreamPort like) {
        Signal valid = output(name + "_valid", like.valid().type());
        Signal ready = input(name + "_ready", like.ready().type());
        List<Signal> fields = new ArrayList<>();
        for (Signal f : like.fields()) {
            fields.add(output(name + "_" + like.fieldName(f), f.type()));
        }
        return new Sink(valid, fields, ready);
    }

    private static void connect(Source src, Sink dst) {
        dst.valid().set(src.valid());
        for (int i = 0; i < dst.fields().size(); i++) {
            dst.fields().get(i).set(src.fields().get(i));
        }
        src.ready().set(dst.ready());
    }

    /** The beat's fields packed into one word (first field in the low bits), through the FIFO, and unpacked. */
    private void connectThroughFifo(Source src, Sink dst, int depth, String name) {
        int width = src.fields().stream().mapToInt(Expr::width).sum();
        SyncFifo def = new SyncFifo(width, depth);
        Instance<SyncFifo> fifo = instance(name, def);
        List<Expr> msbFirst = new ArrayList<>();
        for (int i = src.fields().size() - 1; i >= 0; i--) {
            Expr f = src.fields().get(i);
            msbFirst.add(f.isSigned() ? f.asUInt() : f);
        }
        fifo.io(def.in.valid()).set(src.valid());
        fifo.io(def.in.data()).set(Expr.cat(msbFirst.toArray(Expr[]::new)));
        src.ready().set(fifo.io(def.in.ready()));
        Signal word = fifo.io(def.out.data());
        dst.valid().set(fifo.io(def.out.valid()));
        int lo = 0;
        for (Signal f : dst.fields()) {
            Expr bits = word.slice(lo + f.width() - 1, lo);
            f.set(f.isSigned() ? bits.asSInt() : f.type().isBool() ? bits.asBool() : bits);
            lo += f.width();
        }
        fifo.io(def.out.ready()).set(dst.ready());
    }
}
