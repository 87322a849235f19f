package io.ringkv.deploy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * fabric8's model keeps fields it does not know in each object's {@code additionalProperties}
 * instead of failing (the API server, likewise, drops unknown fields with at most a warning). This
 * walks every object of the model reached from a manifest and fails on the first such field, with
 * its path: a typo like {@code readinesProbe} or a key one level too deep is an error here.
 */
final class StrictFields {
    private StrictFields() {
    }

    static void requireNoUnknown(Object root, String where) {
        walk(root, where, new IdentityHashMap<>());
    }

    private static void walk(Object value, String path, IdentityHashMap<Object, Boolean> seen) {
        if (value == null || seen.put(value, Boolean.TRUE) != null) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                walk(item, path + "[" + i++ + "]", seen);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, path + "." + k, seen));
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers()) || !getter.getName().startsWith("get")
                    || getter.getDeclaringClass() == Object.class || getter.getReturnType().isPrimitive()) {
                continue;
            }
            Object child = invoke(getter, value);
            if (getter.getName().equals("getAdditionalProperties")) {
                if (child instanceof Map<?, ?> unknown && !unknown.isEmpty()) {
                    throw new AssertionError(path + ": unknown field(s) " + unknown.keySet() + " in "
                            + value.getClass().getSimpleName());
                }
                continue;
            }
            walk(child, path + "." + decapitalize(getter.getName().substring(3)), seen);
        }
    }

    private static Object invoke(Method getter, Object target) {
        try {
            return getter.invoke(target);
        } catch (IllegalAccessException | InvocationTargetException e) {
            return null; // a computed getter that does not apply to this object: nothing to check
        }
    }

    private static String decapitalize(String name) {
        return name.isEmpty() ? name : Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }
}
