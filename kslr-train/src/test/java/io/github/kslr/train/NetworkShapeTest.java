package io.github.kslr.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.kslr.api.InvalidInputException;
import org.junit.jupiter.api.Test;

/** Every built-in family takes its parameters through {@link NetworkShape#parameters}: copied, or refused. */
class NetworkShapeTest {

    @Test
    void everyFamilyCopiesItsParametersAndRefusesAWrongCount() {
        NetworkShape shape = new NetworkShape(5, 6, 7, 5, 4);
        for (NetworkFamily family : NetworkFamily.builtIn()) {
            SequenceNetwork net = family.create(shape, 3);
            float[] given = net.parameterCopy();
            SequenceNetwork same = net.withParameters(given);
            float before = given[0];
            given[0] = before + 1f;
            assertEquals(before, same.parameters()[0], family + " keeps a copy, not the caller's array");
            given[0] = before;
            assertArrayEquals(given, same.parameters(), family.toString());

            int n = given.length;
            InvalidInputException e =
                    assertThrows(InvalidInputException.class, () -> net.withParameters(new float[n + 1]));
            assertEquals(
                    "shape " + shape + " has " + n + " " + (family == NetworkFamily.LSTM ? "LSTM " : "")
                            + "parameters, got " + (n + 1),
                    e.getMessage());
        }
    }
}
