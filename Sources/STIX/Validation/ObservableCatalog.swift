/// Property rules of the 18 STIX Cyber-observable Object types and their predefined extensions.
enum ObservableCatalog {
    static let strings = PropertyRule.list(.string)
    static func refs(_ types: Set<String>) -> PropertyRule { .list(.ref(.only(types))) }
    static func ref(_ types: Set<String>) -> PropertyRule { .ref(.only(types)) }
    static let port = PropertyRule.integer(min: 0, max: 65535)
    static let nonNegative = PropertyRule.integer(min: 0)

    static let mimePart = StructureSpec(["body": .string, "body_raw_ref": ref(["artifact", "file"]), "content_type": .string, "content_disposition": .string])
    static let registryValue = StructureSpec(["name": .string, "data": .string, "data_type": .oneOf([
        "REG_NONE", "REG_SZ", "REG_EXPAND_SZ", "REG_BINARY", "REG_DWORD", "REG_DWORD_BIG_ENDIAN", "REG_DWORD_LITTLE_ENDIAN",
        "REG_LINK", "REG_MULTI_SZ", "REG_RESOURCE_LIST", "REG_FULL_RESOURCE_DESCRIPTION", "REG_RESOURCE_REQUIREMENTS_LIST",
        "REG_QWORD", "REG_INVALID_TYPE",
    ])])
    static let x509Extensions = StructureSpec([:])
    static let alternateDataStream = StructureSpec(["name": .string, "hashes": .hashes, "size": nonNegative], required: ["name"])
    static let peSection = StructureSpec(["name": .string, "size": nonNegative, "entropy": .number(), "hashes": .hashes], required: ["name"])

    /// Predefined extensions per SCO type, keyed by extension name.
    static let extensions: [String: [String: StructureSpec]] = [
        "file": [
            "archive-ext": StructureSpec(["contains_refs": refs(["file", "directory"]), "comment": .string], required: ["contains_refs"]),
            "ntfs-ext": StructureSpec(["sid": .string, "alternate_data_streams": .list(.structure(alternateDataStream))]),
            "pdf-ext": StructureSpec(["version": .string, "is_optimized": .boolean, "document_info_dict": .dictionaryOf(.string), "pdfid0": .string, "pdfid1": .string]),
            "raster-image-ext": StructureSpec(["image_height": .integer(), "image_width": .integer(), "bits_per_pixel": .integer(), "exif_tags": .dictionaryOf(.any)]),
            "windows-pebinary-ext": StructureSpec(["pe_type": .string, "imphash": .string, "machine_hex": .hex, "number_of_sections": nonNegative, "time_date_stamp": .timestampSeconds, "pointer_to_symbol_table_hex": .hex, "number_of_symbols": nonNegative, "size_of_optional_header": nonNegative, "characteristics_hex": .hex, "file_header_hashes": .hashes, "optional_header": .dictionary, "sections": .list(.structure(peSection))], required: ["pe_type"]),
        ],
        "network-traffic": [
            "http-request-ext": StructureSpec(["request_method": .string, "request_value": .string, "request_version": .string, "request_header": .dictionary, "message_body_length": .integer(), "message_body_data_ref": ref(["artifact"])], required: ["request_method", "request_value"]),
            "icmp-ext": StructureSpec(["icmp_type_hex": .hex, "icmp_code_hex": .hex], required: ["icmp_type_hex", "icmp_code_hex"]),
            "socket-ext": StructureSpec(["address_family": .oneOf(["AF_UNSPEC", "AF_INET", "AF_IPX", "AF_APPLETALK", "AF_NETBIOS", "AF_INET6", "AF_IRDA", "AF_BTH"]), "is_blocking": .boolean, "is_listening": .boolean, "options": .dictionary, "socket_type": .oneOf(["SOCK_STREAM", "SOCK_DGRAM", "SOCK_RAW", "SOCK_RDM", "SOCK_SEQPACKET"]), "socket_descriptor": nonNegative, "socket_handle": .integer()], required: ["address_family"]),
            "tcp-ext": StructureSpec(["src_flags_hex": .hex, "dst_flags_hex": .hex]),
        ],
        "process": [
            "windows-process-ext": StructureSpec(["aslr_enabled": .boolean, "dep_enabled": .boolean, "priority": .string, "owner_sid": .string, "window_title": .string, "startup_info": .dictionary, "integrity_level": .oneOf(["low", "medium", "high", "system"])]),
            "windows-service-ext": StructureSpec(["service_name": .string, "descriptions": strings, "display_name": .string, "group_name": .string, "start_type": .oneOf(["SERVICE_AUTO_START", "SERVICE_BOOT_START", "SERVICE_DEMAND_START", "SERVICE_DISABLED", "SERVICE_SYSTEM_ALERT"]), "service_dll_refs": refs(["file"]), "service_type": .oneOf(["SERVICE_KERNEL_DRIVER", "SERVICE_FILE_SYSTEM_DRIVER", "SERVICE_WIN32_OWN_PROCESS", "SERVICE_WIN32_SHARE_PROCESS"]), "service_status": .oneOf(["SERVICE_CONTINUE_PENDING", "SERVICE_PAUSE_PENDING", "SERVICE_PAUSED", "SERVICE_RUNNING", "SERVICE_START_PENDING", "SERVICE_STOP_PENDING", "SERVICE_STOPPED"])]),
        ],
        "user-account": [
            "unix-account-ext": StructureSpec(["gid": .integer(), "groups": strings, "home_dir": .string, "shell": .string]),
        ],
    ]

    static let specs: [String: TypeSpec] = [
        "artifact": .init(.observable, ["mime_type": .string, "payload_bin": .binary, "url": .string, "hashes": .hashes, "encryption_algorithm": .oneOf(["AES-256-GCM", "ChaCha20-Poly1305", "mime-type-indicated"]), "decryption_key": .string]),
        "autonomous-system": .init(.observable, ["number": .integer(), "name": .string, "rir": .string], required: ["number"]),
        "directory": .init(.observable, ["path": .string, "path_enc": .string, "ctime": .timestamp, "mtime": .timestamp, "atime": .timestamp, "contains_refs": refs(["file", "directory"])], required: ["path"]),
        "domain-name": .init(.observable, ["value": .string, "resolves_to_refs": refs(["ipv4-addr", "ipv6-addr", "domain-name"])], required: ["value"]),
        "email-addr": .init(.observable, ["value": .string, "display_name": .string, "belongs_to_ref": ref(["user-account"])], required: ["value"]),
        "email-message": .init(.observable, ["is_multipart": .boolean, "date": .timestamp, "content_type": .string, "from_ref": ref(["email-addr"]), "sender_ref": ref(["email-addr"]), "to_refs": refs(["email-addr"]), "cc_refs": refs(["email-addr"]), "bcc_refs": refs(["email-addr"]), "message_id": .string, "subject": .string, "received_lines": strings, "additional_header_fields": .dictionary, "body": .string, "body_multipart": .list(.structure(mimePart)), "raw_email_ref": ref(["artifact"])], required: ["is_multipart"]),
        "file": .init(.observable, ["hashes": .hashes, "size": nonNegative, "name": .string, "name_enc": .string, "magic_number_hex": .hex, "mime_type": .string, "ctime": .timestamp, "mtime": .timestamp, "atime": .timestamp, "parent_directory_ref": ref(["directory"]), "contains_refs": .list(.ref(.any)), "content_ref": ref(["artifact"])], anyOf: [["hashes"], ["name"]]),
        "ipv4-addr": .init(.observable, ["value": .string, "resolves_to_refs": refs(["mac-addr"]), "belongs_to_refs": refs(["autonomous-system"])], required: ["value"]),
        "ipv6-addr": .init(.observable, ["value": .string, "resolves_to_refs": refs(["mac-addr"]), "belongs_to_refs": refs(["autonomous-system"])], required: ["value"]),
        "mac-addr": .init(.observable, ["value": .string], required: ["value"]),
        "mutex": .init(.observable, ["name": .string], required: ["name"]),
        "network-traffic": .init(.observable, ["start": .timestamp, "end": .timestamp, "is_active": .boolean, "src_ref": ref(["ipv4-addr", "ipv6-addr", "mac-addr", "domain-name"]), "dst_ref": ref(["ipv4-addr", "ipv6-addr", "mac-addr", "domain-name"]), "src_port": port, "dst_port": port, "protocols": strings, "src_byte_count": nonNegative, "dst_byte_count": nonNegative, "src_packets": nonNegative, "dst_packets": nonNegative, "ipfix": .dictionary, "src_payload_ref": ref(["artifact"]), "dst_payload_ref": ref(["artifact"]), "encapsulates_refs": refs(["network-traffic"]), "encapsulated_by_ref": ref(["network-traffic"])], required: ["protocols"], anyOf: [["src_ref"], ["dst_ref"]]),
        "process": .init(.observable, ["is_hidden": .boolean, "pid": .integer(), "created_time": .timestamp, "cwd": .string, "command_line": .string, "environment_variables": .dictionaryOf(.string), "opened_connection_refs": refs(["network-traffic"]), "creator_user_ref": ref(["user-account"]), "image_ref": ref(["file"]), "parent_ref": ref(["process"]), "child_refs": refs(["process"])], anyOf: [["extensions"], ["is_hidden"], ["pid"], ["created_time"], ["cwd"], ["command_line"], ["environment_variables"], ["opened_connection_refs"], ["creator_user_ref"], ["image_ref"], ["parent_ref"], ["child_refs"]]),
        "software": .init(.observable, ["name": .string, "cpe": .string, "swid": .string, "languages": strings, "vendor": .string, "version": .string], required: ["name"]),
        "url": .init(.observable, ["value": .string], required: ["value"]),
        "user-account": .init(.observable, ["user_id": .string, "credential": .string, "account_login": .string, "account_type": .string, "display_name": .string, "is_service_account": .boolean, "is_privileged": .boolean, "can_escalate_privs": .boolean, "is_disabled": .boolean, "account_created": .timestamp, "account_expires": .timestamp, "credential_last_changed": .timestamp, "account_first_login": .timestamp, "account_last_login": .timestamp], anyOf: [["extensions"], ["user_id"], ["credential"], ["account_login"], ["account_type"], ["display_name"], ["is_service_account"], ["is_privileged"], ["can_escalate_privs"], ["is_disabled"], ["account_created"], ["account_expires"], ["credential_last_changed"], ["account_first_login"], ["account_last_login"]]),
        "windows-registry-key": .init(.observable, ["key": .string, "values": .list(.structure(registryValue)), "modified_time": .timestamp, "creator_user_ref": ref(["user-account"]), "number_of_subkeys": nonNegative], anyOf: [["key"], ["values"], ["modified_time"], ["creator_user_ref"], ["number_of_subkeys"]]),
        "x509-certificate": .init(.observable, ["is_self_signed": .boolean, "hashes": .hashes, "version": .string, "serial_number": .string, "signature_algorithm": .string, "issuer": .string, "validity_not_before": .timestamp, "validity_not_after": .timestamp, "subject": .string, "subject_public_key_algorithm": .string, "subject_public_key_modulus": .string, "subject_public_key_exponent": .integer(), "x509_v3_extensions": .dictionaryOf(.string)], anyOf: [["is_self_signed"], ["hashes"], ["version"], ["serial_number"], ["signature_algorithm"], ["issuer"], ["validity_not_before"], ["validity_not_after"], ["subject"], ["subject_public_key_algorithm"], ["subject_public_key_modulus"], ["subject_public_key_exponent"], ["x509_v3_extensions"]]),
    ]
}
