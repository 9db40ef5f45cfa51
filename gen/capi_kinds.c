/* SPDX-License-Identifier: Apache-2.0 */
/*
 * capi_kinds.c - the one name table of each kind of capi.h: the values the
 * templates switch on ({{#conv=object}}, {{^result=void}}, {{#wait=status}}, {{#role=getter}}).
 */
#include "capi.h"

static const char *const arg_kind_names[] = {
    [CAPI_ARG_VALUE] = "value",           [CAPI_ARG_BOOL] = "bool",
    [CAPI_ARG_ASSIGN] = "assign",         [CAPI_ARG_OBJECT] = "object",
    [CAPI_ARG_PROTOCOL] = "protocol",     [CAPI_ARG_PROTOCOL_ARRAY] = "protocol_array",
    [CAPI_ARG_STRING] = "string",         [CAPI_ARG_URL] = "url",
    [CAPI_ARG_REMOTE_URL] = "remote_url", [CAPI_ARG_UUID] = "uuid",
    [CAPI_ARG_DATA] = "data",             [CAPI_ARG_FILE_HANDLE] = "file_handle",
    [CAPI_ARG_SOCKET] = "socket",         [CAPI_ARG_ARRAY] = "array",
    [CAPI_ARG_DICTIONARY] = "dictionary", [CAPI_ARG_BOOL_OUT] = "bool_out",
    [CAPI_ARG_ERROR_OUT] = "error_out",   [CAPI_ARG_NEW_QUEUE] = "new_queue",
    [CAPI_ARG_BLOCK] = "block",
};

static const char *const result_kind_names[] = {
    [CAPI_RESULT_VOID] = "void",           [CAPI_RESULT_STATUS] = "status",
    [CAPI_RESULT_BOOL] = "bool",           [CAPI_RESULT_VALUE] = "value",
    [CAPI_RESULT_OBJECT] = "object",       [CAPI_RESULT_STRING] = "string",
    [CAPI_RESULT_URL] = "url",             [CAPI_RESULT_FILE_HANDLE] = "file_handle",
    [CAPI_RESULT_ARRAY] = "array",         [CAPI_RESULT_UUID] = "uuid",
    [CAPI_RESULT_DATA] = "data",           [CAPI_RESULT_ASSIGN] = "assign",
    [CAPI_RESULT_DATA_ARRAY] = "data_array", [CAPI_RESULT_DICTIONARY] = "dictionary",
};

static const char *const delegate_arg_kind_names[] = {
    [CAPI_DELEGATE_ARG_OBJECT] = "object", [CAPI_DELEGATE_ARG_ERROR] = "error", [CAPI_DELEGATE_ARG_STRING] = "string",
    [CAPI_DELEGATE_ARG_DATA] = "data",     [CAPI_DELEGATE_ARG_BOOL] = "bool",   [CAPI_DELEGATE_ARG_VALUE] = "value",
};

static const char *const answer_kind_names[] = {
    [CAPI_ANSWER_NONE] = "none", [CAPI_ANSWER_BOOL] = "bool", [CAPI_ANSWER_DATA] = "data",
};

static const char *const callback_param_kind_names[] = {
    [CAPI_CALLBACK_PARAM_ERROR] = "error", [CAPI_CALLBACK_PARAM_OBJECT] = "object", [CAPI_CALLBACK_PARAM_VALUE] = "value",
};

static const char *const role_names[] = {
    [CAPI_ROLE_GETTER] = "getter", [CAPI_ROLE_SETTER] = "setter", [CAPI_ROLE_NEW] = "new",
    [CAPI_ROLE_INIT] = "init",     [CAPI_ROLE_METHOD] = "method",
};

static const char *const wait_kind_names[] = {
    [CAPI_WAIT_NONE] = "none", [CAPI_WAIT_STATUS] = "status", [CAPI_WAIT_OBJECT] = "object",
};

const char *capi_wait_kind_name(enum capi_wait_kind kind)
{
    return wait_kind_names[kind];
}

const char *capi_delegate_arg_kind_name(enum capi_delegate_arg_kind kind)
{
    return delegate_arg_kind_names[kind];
}

const char *capi_answer_kind_name(enum capi_answer_kind kind)
{
    return answer_kind_names[kind];
}

const char *capi_callback_param_kind_name(enum capi_callback_param_kind kind)
{
    return callback_param_kind_names[kind];
}

const char *capi_arg_kind_name(enum capi_arg_kind kind)
{
    return arg_kind_names[kind];
}

const char *capi_result_kind_name(enum capi_result_kind kind)
{
    return result_kind_names[kind];
}

const char *capi_role_name(enum capi_role role)
{
    return role_names[role];
}
