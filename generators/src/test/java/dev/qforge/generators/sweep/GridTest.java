package dev.qforge.generators.sweep;

import dev.qforge.generators.registry.Generator;
import dev.qforge.generators.registry.InvalidOption;
import dev.qforge.generators.registry.Registry;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Grid expansion: value lists and ranges checked by each option, point order, ids, chunks. */
class GridTest {
    private static final Generator SYSTOLIC = Registry.named("systolic");

    private static List<String> values(String option, String text) {
        return Grid.parseValues(SYSTOLIC.option(option), text);
    }

    @Test
    void listsAndRangesExpand() {
        assertEquals(List.of("4", "8", "16"), values("rows", "4,8,16"));
        assertEquals(List.of("4", "5", "6", "7"), values("rows", "4..7"));
        assertEquals(List.of("4", "12", "20", "28"), values("cols", "4..32:8"));
        assertEquals(List.of("1", "2", "8", "9", "10"), values("cols", "1,2,8..10"));
        assertEquals(List.of("int8", "int4"), values("weight", "int8, int4"));
        assertEquals(List.of("true"), values("bias", null), "a flag alone is true");
        assertEquals(List.of("tflite"), values("requant", ""), "a bare choice takes its bare value");
    }

    @Test
    void badValuesNameTheOptionAndTheProblem() {
        InvalidOption e = assertThrows(InvalidOption.class, () -> new Grid(SYSTOLIC, Map.of("weight", values("weight", "int8,int9"))));
        assertEquals("weight must be int8, int4, int2, mxfp8_e4m3, mxfp8_e5m2, mxfp6_e3m2, mxfp6_e2m3, mxfp4_e2m1 or mxint8 (mxfp4 also accepted), got 'int9' (did you mean int8?)", e.getMessage());
        assertEquals("rows must be in 1..256, got 0", assertThrows(InvalidOption.class,
                () -> new Grid(SYSTOLIC, Map.of("rows", values("rows", "0..4")))).getMessage());
        assertEquals("rows range '4..2147483648': must be in 1..256, got 2147483648",
                assertThrows(InvalidOption.class, () -> values("rows", "4..2147483648")).getMessage());
        assertEquals("rows range '8..4' is empty (8 > 4)", assertThrows(InvalidOption.class, () -> values("rows", "8..4")).getMessage());
        assertEquals("weight takes a list of values (int8|int4|int2|mxfp8_e4m3|mxfp8_e5m2|mxfp6_e3m2|mxfp6_e2m3|mxfp4_e2m1|mxint8), not a range: 'int2..int8'",
                assertThrows(InvalidOption.class, () -> values("weight", "int2..int8")).getMessage());
        assertEquals("rows range 'a..4' needs whole numbers, as in --rows 4,8,16 or --rows 4..32:4",
                assertThrows(InvalidOption.class, () -> values("rows", "a..4")).getMessage());
        assertEquals("cols has an empty item in '4,,8'", assertThrows(InvalidOption.class, () -> values("cols", "4,,8")).getMessage());
        assertTrue(assertThrows(InvalidOption.class, () -> new Grid(SYSTOLIC, Map.of("rowz", List.of("4")))).getMessage()
                .startsWith("rowz is not an option of the systolic generator (did you mean rows?)"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Grid(SYSTOLIC, Map.of("max-m", values("max-m", "1..1000"),
                "max-k", values("max-k", "1..1001")))).getMessage().startsWith("the grid has 1001000 points, more than the 1000000"));
    }

    @Test
    void pointsRunInDeclarationOrderTheLastOptionFastest() {
        Map<String, List<String>> given = new LinkedHashMap<>();
        given.put("weight", List.of("int8", "int4")); // given before rows, declared after it
        given.put("rows", List.of("2", "4", "2"));     // a repeated value counts once
        Grid g = new Grid(SYSTOLIC, given);
        assertEquals(4, g.size());
        List<String> seen = g.points().stream().map(p -> p.options().get("rows") + "/" + p.options().get("weight")).toList();
        assertEquals(List.of("2/int8", "2/int4", "4/int8", "4/int4"), seen);
        Grid.Point first = g.points().get(0);
        assertEquals(SYSTOLIC.optionNames(), List.copyOf(first.options().keySet()), "every option, resolved, in declaration order");
        assertEquals("8", first.options().get("cols"), "options not swept keep their defaults");
    }

    @Test
    void idsDependOnlyOnThePointAndAreDistinct() {
        Grid small = new Grid(SYSTOLIC, Map.of("rows", List.of("2", "4")));
        Grid large = new Grid(SYSTOLIC, Map.of("rows", List.of("1", "2", "3", "4"), "requant", List.of("none", "single")));
        Set<String> largeIds = new HashSet<>();
        large.points().forEach(p -> largeIds.add(p.id()));
        assertEquals(8, largeIds.size(), "distinct points, distinct ids");
        for (Grid.Point p : small.points()) {
            assertTrue(largeIds.contains(p.id()), "a grown grid keeps the id of " + p);
            assertTrue(p.id().matches("[0-9a-f]{12}"), p.id());
        }
        assertEquals(small.points(), new Grid(SYSTOLIC, Map.of("rows", List.of("2", "4"))).points(), "deterministic");
        assertEquals("tflite", large.points().get(1).options().get("requant"), "an alias is normalised before the id is taken");
        assertTrue(large.points().stream().noneMatch(p -> p.options().get("requant").equals("single")));
    }

    @Test
    void chunksPartitionThePoints() {
        Grid g = new Grid(SYSTOLIC, Map.of("rows", values("rows", "1..7"), "cols", List.of("1", "2")));
        List<Grid.Point> union = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            List<Grid.Point> c = g.chunk(i, 3);
            assertTrue(c.size() == 4 || c.size() == 5, "equal shares: " + c.size());
            union.addAll(c);
        }
        assertEquals(14, union.size());
        assertEquals(new HashSet<>(g.points()), new HashSet<>(union));
        assertEquals(g.points(), g.chunk(0, 1));
    }
}
