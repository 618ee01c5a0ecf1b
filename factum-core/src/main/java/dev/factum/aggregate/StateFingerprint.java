// SPDX-License-Identifier: Apache-2.0
package dev.factum.aggregate;

import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.Set;

/**
 * A fingerprint of a state type's shape: the SHA-256, in hex, of a description listing, recursively, each record
 * component's name and type, each enum's constants and each sealed type's permitted subtypes. A snapshot carries the
 * fingerprint of the class that wrote it, so after a component is added, removed, renamed or retyped, old snapshots
 * no longer match and are ignored instead of being read into the wrong shape (the problem of AxonFramework issue
 * 566). The name of the top-level state class is not part of it: renaming the class keeps its snapshots valid.
 *
 * @since 0.1
 */
public final class StateFingerprint {
    private StateFingerprint() {
    }

    /** The hex SHA-256 of {@link #describe(Type)}. */
    public static String of(Type stateType) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(describe(stateType).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** The readable shape description that {@link #of(Type)} hashes, e.g. {@code {owner:java.lang.String,…}}. */
    public static String describe(Type stateType) {
        StringBuilder out = new StringBuilder();
        shape(stateType, out, new HashSet<>(), true);
        return out.toString();
    }

    private static void shape(Type type, StringBuilder out, Set<Class<?>> visiting, boolean top) {
        switch (type) {
            case Class<?> cls when cls.isArray() -> {
                shape(cls.getComponentType(), out, visiting, false);
                out.append("[]");
            }
            case Class<?> cls -> classShape(cls, out, visiting, top);
            case ParameterizedType p -> {
                shape(p.getRawType(), out, visiting, false);
                out.append('<');
                Type[] args = p.getActualTypeArguments();
                for (int i = 0; i < args.length; i++) {
                    if (i > 0) out.append(',');
                    shape(args[i], out, visiting, false);
                }
                out.append('>');
            }
            case GenericArrayType g -> {
                shape(g.getGenericComponentType(), out, visiting, false);
                out.append("[]");
            }
            case WildcardType w -> out.append(w.getTypeName());
            default -> out.append(type.getTypeName());
        }
    }

    private static void classShape(Class<?> cls, StringBuilder out, Set<Class<?>> visiting, boolean top) {
        if (!top && (cls.isRecord() || cls.isEnum() || cls.isSealed())) out.append(cls.getSimpleName());
        if (!cls.isRecord() && !cls.isEnum() && !cls.isSealed()) {
            out.append(cls.getName());
            return;
        }
        if (!visiting.add(cls)) {
            out.append("@recursive");
            return;
        }
        if (cls.isRecord()) {
            out.append('{');
            RecordComponent[] components = cls.getRecordComponents();
            for (int i = 0; i < components.length; i++) {
                if (i > 0) out.append(',');
                out.append(components[i].getName()).append(':');
                shape(components[i].getGenericType(), out, visiting, false);
            }
            out.append('}');
        } else if (cls.isEnum()) {
            out.append("enum[");
            Object[] constants = cls.getEnumConstants();
            for (int i = 0; i < constants.length; i++) {
                if (i > 0) out.append(',');
                out.append(((Enum<?>) constants[i]).name());
            }
            out.append(']');
        } else {
            out.append("sealed[");
            Class<?>[] permitted = cls.getPermittedSubclasses();
            for (int i = 0; i < permitted.length; i++) {
                if (i > 0) out.append(',');
                shape(permitted[i], out, visiting, false);
            }
            out.append(']');
        }
        visiting.remove(cls);
    }
}
