package dev.qforge.dsl;

import org.junit.jupiter.api.Test;

import static dev.qforge.dsl.BadDesigns.assertError;
import static dev.qforge.dsl.BadDesigns.line;
import static dev.qforge.dsl.BadDesigns.thrown;
import static dev.qforge.dsl.HwType.bool;
import static dev.qforge.dsl.HwType.uint;

/**
 * A parent that drives a submodule's signal object directly ({@code child.out.set(x)} instead of
 * going through the instance) added the statement to the child's body: the child's hardware
 * changed under the parent's code. Now an error at the parent's line saying what to write instead.
 */
class SubmoduleBodyWriteTest {
    private static final String FILE = "SubmoduleBodyWriteTest.java:";

    static final class Child extends Module {
        final Signal in;
        final Signal out;
        final Signal scratch;
        final Mem store;

        Child() {
            super("Child");
            in = input("in", uint(4));
            out = output("out", uint(4));
            scratch = wire("scratch", uint(4));
            store = mem("store", uint(4), 4);
            scratch.set(in);
            store.write(in.slice(1, 0), scratch);
            out.set(store.readSync("q", in.slice(1, 0)));
        }
    }

    private static String outside(int instanceLine, String action, String instead) {
        return "cannot " + action + " of module Child from outside it (Child is instantiated as 'u' in Top at "
                + FILE + instanceLine + "): " + instead;
    }

    @Test
    void drivingAChildsOutputSaysToReadItThroughTheInstance() {
        int[] at = new int[2];
        Diagnostic d = thrown(() -> new Module("Top") {{
            Child c = new Child();
            instance("u", c); at[0] = line();
            at[1] = line(); c.out.set(0);
        }});
        assertError(d, at[1], outside(at[0], "drive 'out'", "it is driven by Child itself; read it as u.io(\"out\")"));
    }

    @Test
    void drivingAChildsInputByNameSaysToDriveTheInstancesInput() {
        int[] at = new int[2];
        Diagnostic d = thrown(() -> new Module("Top") {{
            Signal a = input("a", uint(4));
            Child c = new Child();
            instance("u", c); at[0] = line();
            at[1] = line(); c.port("in").set(a);
        }});
        assertError(d, at[1], outside(at[0], "drive 'in'", "drive the instance's input: u.io(\"in\").set(...)"));
    }

    @Test
    void registerUpdatesWritesAndReadPortsIntoAChildAreRefused() {
        int[] at = new int[2];
        Diagnostic setWhen = thrown(() -> new Module("Top") {{
            Child c = new Child();
            instance("u", c); at[0] = line();
            at[1] = line(); c.scratch.setWhen(input("en", bool()), Expr.u(1, 4));
        }});
        assertError(setWhen, at[1], outside(at[0], "drive 'scratch'", "a submodule is reached only through its instance's ports"));
        Diagnostic write = thrown(() -> new Module("Top") {{
            Child c = new Child();
            instance("u", c); at[0] = line();
            at[1] = line(); c.store.write(Expr.u(0, 2), Expr.u(1, 4));
        }});
        assertError(write, at[1], outside(at[0], "write memory 'store'", "a submodule is reached only through its instance's ports"));
        Diagnostic read = thrown(() -> new Module("Top") {{
            Child c = new Child();
            instance("u", c); at[0] = line();
            at[1] = line(); c.store.readSync("peek", Expr.u(0, 2));
        }});
        assertError(read, at[1], outside(at[0], "add read port 'peek'", "a submodule is reached only through its instance's ports"));
    }

    @Test
    void connectingThroughTheInstancesStillWorks() {
        Module top = new Module("Top") {{
            Signal a = input("a", uint(4));
            Child c = new Child();
            Instance<Child> u = instance("u", c);
            Instance<Child> v = instance("v", c);
            u.io(c.in).set(a);
            v.io("in").set(u.io(c.out));
            output("y", uint(4)).set(v.io(c.out));
        }};
        Design.elaborate(top);
    }
}
