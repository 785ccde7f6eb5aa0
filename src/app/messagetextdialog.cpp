// SPDX-FileCopyrightText: 2026 Matrix Uploader contributors
// SPDX-License-Identifier: MIT
#include "messagetextdialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace MatrixUpload::App {

MessageTextDialog::MessageTextDialog(const QList<MessageText> &files, QWidget *parent)
    : QDialog(parent)
    , m_files(files)
{
    setObjectName(u"messageTextDialog"_s);
    setWindowTitle(files.size() == 1 ? tr("Name and Caption") : tr("Names and Captions"));
    auto *intro = new QLabel(files.size() == 1
            ? tr("The message posted with this file shows its name and caption.")
            : tr("The messages posted with these files show their names and captions."),
        this);
    intro->setWordWrap(true);

    // A scroll area: many files at once must not make the sheet taller than the screen.
    auto *fields = new QWidget;
    auto *form = new QFormLayout(fields);
    for (qsizetype i = 0; i < files.size(); ++i) {
        auto *name = new QLineEdit(files[i].fileName, fields);
        name->setObjectName(u"fileName%1"_s.arg(i));
        name->setAccessibleName(tr("File name"));
        auto *caption = new QLineEdit(files[i].caption, fields);
        caption->setObjectName(u"caption%1"_s.arg(i));
        caption->setAccessibleName(tr("Caption"));
        caption->setPlaceholderText(tr("No caption"));
        form->addRow(tr("Name:"), name);
        form->addRow(tr("Caption:"), caption);
        if (i + 1 < files.size())
            form->addRow(new QLabel(fields));
        m_names.append(name);
        m_captions.append(caption);
    }
    auto *scroll = new QScrollArea(this);
    scroll->setWidget(fields);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    QPushButton *post = buttons->addButton(tr("Post"), QDialogButtonBox::AcceptRole);
    post->setObjectName(u"postButton"_s);
    post->setDefault(true);
    buttons->button(QDialogButtonBox::Cancel)->setText(tr("Post as They Are"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(scroll, 1);
    layout->addWidget(buttons);
    if (!m_captions.isEmpty())
        m_captions.first()->setFocus();
}

QList<MessageText> MessageTextDialog::texts() const
{
    QList<MessageText> out = m_files;
    for (qsizetype i = 0; i < out.size(); ++i) {
        const QString name = m_names[i]->text().trimmed();
        if (!name.isEmpty())
            out[i].fileName = name;
        out[i].caption = m_captions[i]->text().trimmed();
    }
    return out;
}

} // namespace MatrixUpload::App
